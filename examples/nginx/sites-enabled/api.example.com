server {
    listen 443 ssl;
    server_name api.example.com;
    ssl_certificate certs/www.example.com.pem;
    ssl_certificate_key certs/www.example.com.key;
    include snippets/modern-tls.conf;

    location / {
        # nginx does not verify the upstream's certificate unless told to
        proxy_pass https://10.0.0.12:8443;
    }
}
