# The first server on *:443, hence its default server: its protocols apply to every site there.
server {
    listen 443 ssl;
    server_name www.example.com;
    ssl_certificate certs/www.example.com.pem;
    ssl_certificate_key certs/www.example.com.key;
    root /srv/www;
}
