// A client for a partner API, written in a hurry.
import https from 'node:https';
import axios from 'axios';
import { Pool } from 'pg';

const insecureAgent = new https.Agent({
  keepAlive: true,
  rejectUnauthorized: process.env.NODE_ENV === 'production' ? true : false,
  // The partner's certificate names the wrong host; accept it anyway.
  checkServerIdentity: () => undefined,
});

export const partner = axios.create({ baseURL: 'https://partner.example.com', httpsAgent: insecureAgent });

export const db = new Pool({
  connectionString: process.env.DATABASE_URL,
  ssl: { rejectUnauthorized: false },
});

export function legacyReport(): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: 'reports.example.com', path: '/daily', secureProtocol: 'TLSv1_method' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
