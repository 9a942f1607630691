server {
    listen 127.0.0.1:8443 ssl;
    server_name partners.example.com;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate certs/legacy.example.com.pem;
    ssl_certificate_key certs/legacy.example.com.key;

    # a client CA means mutual TLS is intended, but "optional" lets anyone in
    ssl_client_certificate certs/partners-ca.pem;
    ssl_verify_client optional;
}
