// An internal API that is meant to accept only clients with a certificate from our client CA.
// It has the mistakes tls-lint is built to catch.
const fs = require('node:fs');
const path = require('node:path');
const https = require('node:https');

const certs = path.join(__dirname, 'certs');

const tlsOptions = {
  key: fs.readFileSync(path.join(certs, 'server.key')),
  cert: fs.readFileSync(path.join(certs, 'server.crt')),
  ca: fs.readFileSync(path.join(certs, 'client-ca.crt')),
  // Old load balancers still speak TLS 1.0…
  minVersion: 'TLSv1',
  requestCert: true,
  // "Temporarily" let clients through while certificates are rolled out.
  rejectUnauthorized: false,
};

const server = https.createServer(tlsOptions, (req, res) => {
  const peer = req.socket.getPeerCertificate();
  res.end(`hello ${peer.subject ? peer.subject.CN : 'anonymous'}\n`);
});

server.listen(8443);
