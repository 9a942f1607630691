/**
 * Scripted TLS servers for tests: a legacy server that speaks what no current OpenSSL can
 * (SSL 3.0, EXPORT and RC4 suites, SSL 2.0), and misbehaving servers (silent, garbage, reset
 * mid-handshake, endless record, endless flight). They parse just enough of a ClientHello to answer.
 */
import crypto from 'node:crypto';
import net from 'node:net';

export interface ParsedClientHello {
  format: 'tls' | 'ssl2';
  recordVersion: number;
  clientVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cipherSuites: number[];
  extensions: Map<number, Buffer>;
}

/** Parses a ClientHello from the start of `data` (v3 record or SSL 2.0 format); undefined if incomplete. */
export function parseClientHelloBytes(data: Buffer): ParsedClientHello | undefined {
  if (data.length < 5) return undefined;
  if (data[0]! & 0x80) {
    const length = ((data[0]! & 0x7f) << 8) | data[1]!;
    if (data.length < 2 + length) return undefined;
    const m = data.subarray(2, 2 + length);
    const specLength = m.readUInt16BE(3);
    const sidLength = m.readUInt16BE(5);
    const challengeLength = m.readUInt16BE(7);
    const specs: number[] = [];
    for (let i = 0; i < specLength; i += 3) specs.push(m.readUIntBE(9 + i, 3));
    const challenge = m.subarray(
      9 + specLength + sidLength,
      9 + specLength + sidLength + challengeLength,
    );
    return {
      format: 'ssl2',
      recordVersion: 0x0002,
      clientVersion: m.readUInt16BE(1),
      random: challenge,
      sessionId: Buffer.alloc(0),
      cipherSuites: specs,
      extensions: new Map(),
    };
  }
  const recordLength = data.readUInt16BE(3);
  if (data.length < 5 + recordLength) return undefined;
  const body = data.subarray(9, 5 + recordLength);
  let p = 0;
  const clientVersion = body.readUInt16BE(p);
  p += 2;
  const random = body.subarray(p, p + 32);
  p += 32;
  const sessionId = body.subarray(p + 1, p + 1 + body[p]!);
  p += 1 + body[p]!;
  const suitesLength = body.readUInt16BE(p);
  p += 2;
  const cipherSuites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) cipherSuites.push(body.readUInt16BE(p + i));
  p += suitesLength;
  p += 1 + body[p]!;
  const extensions = new Map<number, Buffer>();
  if (p < body.length) {
    const end = p + 2 + body.readUInt16BE(p);
    p += 2;
    while (p < end) {
      const type = body.readUInt16BE(p);
      const len = body.readUInt16BE(p + 2);
      extensions.set(type, body.subarray(p + 4, p + 4 + len));
      p += 4 + len;
    }
  }
  return {
    format: 'tls',
    recordVersion: data.readUInt16BE(1),
    clientVersion,
    random,
    sessionId,
    cipherSuites,
    extensions,
  };
}

function record(type: number, version: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h[0] = type;
  h.writeUInt16BE(version, 1);
  h.writeUInt16BE(payload.length, 3);
  return Buffer.concat([h, payload]);
}

function handshake(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([h, body]);
}

function vec(lengthBytes: number, body: Buffer): Buffer {
  const h = Buffer.alloc(lengthBytes);
  h.writeUIntBE(body.length, 0, lengthBytes);
  return Buffer.concat([h, body]);
}

/** A big-endian number of exactly `bits` bits (top bit set), for fake DH primes / RSA moduli. */
function numberOfBits(bits: number): Buffer {
  const b = crypto.randomBytes(Math.ceil(bits / 8));
  const topBits = bits % 8 || 8;
  b[0] = (b[0]! & ((1 << topBits) - 1)) | (1 << (topBits - 1));
  return b;
}

export interface LegacyServerConfig {
  /** Wire versions accepted (0x0300 = SSL 3.0 …). */
  versions: number[];
  /** Suites accepted, in the server's order. */
  suites: number[];
  /** Pick by the server's order (true) or the client's (false). */
  serverOrder: boolean;
  /** DER certificate to send. */
  certificate: Buffer;
  /** Suites that get a DHE ServerKeyExchange, with the prime size. */
  dheSuites?: Record<number, number>;
  /** Suites that get an RSA_EXPORT ServerKeyExchange (512-bit temporary key). */
  rsaExportSuites?: number[];
  /** SSL 2.0 cipher kinds accepted (answers real SSL 2.0 hellos). */
  ssl2Kinds?: number[];
  /** Reset the connection on hellos for these wire versions (as Schannel does for disabled ones). */
  resetVersions?: number[];
  /** Close without a word when a hello offers more suites than this (a stack that chokes on long lists). */
  maxOfferedSuites?: number;
  /** Ask for a client certificate with these CA names (DER). */
  certificateRequestCaNames?: Buffer[];
}

export interface RunningServer {
  port: number;
  connections: () => number;
  close(): Promise<void>;
}

function listen(handler: (socket: net.Socket) => void): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    handler(socket);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        connections: () => count,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Reads until a whole ClientHello is buffered, then calls `answer` once. */
function onClientHello(socket: net.Socket, answer: (hello: ParsedClientHello) => void): void {
  let buffered = Buffer.alloc(0);
  let answered = false;
  socket.on('data', (chunk: Buffer) => {
    if (answered) return;
    buffered = Buffer.concat([buffered, chunk]);
    let hello: ParsedClientHello | undefined;
    try {
      hello = parseClientHelloBytes(buffered);
    } catch {
      socket.destroy();
      return;
    }
    if (!hello) return;
    answered = true;
    answer(hello);
  });
}

export function startLegacyServer(config: LegacyServerConfig): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, (hello) => {
      if (hello.format === 'ssl2' && hello.clientVersion === 0x0002) {
        const kinds = (config.ssl2Kinds ?? []).filter((k) => hello.cipherSuites.includes(k));
        if (kinds.length === 0) {
          socket.end();
          return;
        }
        const specs = Buffer.concat(
          kinds.map((k) => Buffer.from([k >> 16, (k >> 8) & 0xff, k & 0xff])),
        );
        const connectionId = crypto.randomBytes(16);
        const m = Buffer.alloc(11);
        m[0] = 4;
        m[1] = 0;
        m[2] = 1; // X.509 certificate
        m.writeUInt16BE(0x0002, 3);
        m.writeUInt16BE(config.certificate.length, 5);
        m.writeUInt16BE(specs.length, 7);
        m.writeUInt16BE(connectionId.length, 9);
        const message = Buffer.concat([m, config.certificate, specs, connectionId]);
        socket.end(
          Buffer.concat([
            Buffer.from([0x80 | (message.length >> 8), message.length & 0xff]),
            message,
          ]),
        );
        return;
      }
      if (config.resetVersions?.includes(hello.clientVersion)) {
        socket.resetAndDestroy();
        return;
      }
      if (
        config.maxOfferedSuites !== undefined &&
        hello.cipherSuites.length > config.maxOfferedSuites
      ) {
        socket.end();
        return;
      }
      const maxSupported = Math.max(...config.versions);
      const version = Math.min(hello.clientVersion, maxSupported);
      const recordVersion = version;
      if (!config.versions.includes(version)) {
        socket.end(record(21, Math.min(hello.clientVersion, 0x0303), Buffer.from([2, 70])));
        return;
      }
      const suite = config.serverOrder
        ? config.suites.find((s) => hello.cipherSuites.includes(s))
        : hello.cipherSuites.find((s) => config.suites.includes(s));
      if (suite === undefined) {
        socket.end(record(21, recordVersion, Buffer.from([2, 40])));
        return;
      }
      const serverHello = Buffer.concat([
        Buffer.from([version >> 8, version & 0xff]),
        crypto.randomBytes(32),
        vec(1, crypto.randomBytes(32)),
        Buffer.from([suite >> 8, suite & 0xff, 0]),
      ]);
      const messages = [
        handshake(2, serverHello),
        handshake(11, vec(3, vec(3, config.certificate))),
      ];
      const dhBits = config.dheSuites?.[suite];
      if (dhBits) {
        messages.push(
          handshake(
            12,
            Buffer.concat([
              vec(2, numberOfBits(dhBits)),
              vec(2, Buffer.from([2])),
              vec(2, numberOfBits(dhBits - 1)),
              vec(2, crypto.randomBytes(64)),
            ]),
          ),
        );
      } else if (config.rsaExportSuites?.includes(suite)) {
        messages.push(
          handshake(
            12,
            Buffer.concat([
              vec(2, numberOfBits(512)),
              vec(2, Buffer.from([1, 0, 1])),
              vec(2, crypto.randomBytes(64)),
            ]),
          ),
        );
      }
      if (config.certificateRequestCaNames) {
        const body = Buffer.concat([
          vec(1, Buffer.from([1, 2])),
          ...(version >= 0x0303 ? [vec(2, Buffer.from([4, 1, 2, 1]))] : []),
          vec(2, Buffer.concat(config.certificateRequestCaNames.map((n) => vec(2, n)))),
        ]);
        messages.push(handshake(13, body));
      }
      messages.push(handshake(14, Buffer.alloc(0)));
      // Deliberately awkward framing: messages coalesced into one buffer, cut into small records.
      const flight = Buffer.concat(messages);
      const records: Buffer[] = [];
      for (let i = 0; i < flight.length; i += 300)
        records.push(record(22, recordVersion, flight.subarray(i, i + 300)));
      socket.write(Buffer.concat(records));
      // The client closes; keep the socket open like a real server waiting for ClientKeyExchange.
    }),
  );
}

/** Accepts connections and never says a word. */
export function startSilentServer(): Promise<RunningServer> {
  return listen(() => {});
}

/** Closes every connection as soon as a hello arrives, without a word (a proxy with no backend). */
export function startClosingServer(): Promise<RunningServer> {
  return listen((socket) => onClientHello(socket, () => socket.end()));
}

/** Answers every hello with one fatal alert (e.g. 112 unrecognized_name for a wrong SNI). */
export function startAlertServer(description: number): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, () => socket.end(record(21, 0x0303, Buffer.from([2, description])))),
  );
}

/** Answers any hello with an HTTP error page. */
export function startGarbageServer(): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, () =>
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'),
    ),
  );
}

/** Sends the first bytes of a ServerHello, then resets the connection. */
export function startResetServer(): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, () => {
      socket.write(Buffer.from('160303004a0200004603', 'hex'));
      // Reset a moment later: resetAndDestroy() straight from the write callback ends with a FIN instead.
      setTimeout(() => socket.resetAndDestroy(), 30);
    }),
  );
}

/** Announces a 16 KiB record and trickles one byte every 20 ms, forever. */
export function startEndlessRecordServer(): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, () => {
      socket.write(Buffer.from('1603034000', 'hex'));
      const timer = setInterval(() => {
        if (socket.destroyed) clearInterval(timer);
        else socket.write(Buffer.from([0]));
      }, 20);
      socket.on('close', () => clearInterval(timer));
    }),
  );
}

/** A TLS 1.2 ServerHello, then handshake records of an unknown message type as fast as it can. */
export function startEndlessFlightServer(): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, (hello) => {
      const suite = hello.cipherSuites[0]!;
      const sh = Buffer.concat([
        Buffer.from([3, 3]),
        crypto.randomBytes(32),
        Buffer.from([0, suite >> 8, suite & 0xff, 0]),
      ]);
      socket.write(record(22, 0x0303, handshake(2, sh)));
      const chunk = record(22, 0x0303, handshake(99, Buffer.alloc(16000)));
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk)) {
          /* fill the buffer */
        }
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    }),
  );
}

export interface Tls13GroupServerConfig {
  /** Groups in the server's order. */
  groups: number[];
  /** Answer an empty key_share with illegal_parameter instead of a HelloRetryRequest (a broken stack). */
  rejectEmptyKeyShare: boolean;
}

const HRR_RANDOM = Buffer.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
  'hex',
);

/**
 * Answers TLS 1.3 hellos with a ServerHello (when the client sent a share for a group it takes)
 * or a HelloRetryRequest — just enough for group enumeration; the "flight" after it is absent.
 */
export function startTls13GroupServer(config: Tls13GroupServerConfig): Promise<RunningServer> {
  return listen((socket) =>
    onClientHello(socket, (hello) => {
      const alert = (d: number) => socket.end(record(21, 0x0303, Buffer.from([2, d])));
      const versions = hello.extensions.get(43);
      if (
        !versions ||
        !versions
          .subarray(1)
          .toString('hex')
          .match(/^(....)*0304/)
      )
        return alert(70);
      const listed = hello.extensions.get(10);
      const offered: number[] = [];
      if (listed) for (let i = 2; i < listed.length; i += 2) offered.push(listed.readUInt16BE(i));
      const shares = new Map<number, Buffer>();
      const ks = hello.extensions.get(51);
      if (ks) {
        for (let p = 2; p < ks.length; ) {
          const g = ks.readUInt16BE(p);
          const len = ks.readUInt16BE(p + 2);
          shares.set(g, ks.subarray(p + 4, p + 4 + len));
          p += 4 + len;
        }
      }
      if (shares.size === 0 && config.rejectEmptyKeyShare) return alert(47);
      const shared = config.groups.find((g) => shares.has(g) && offered.includes(g));
      const chosen = shared ?? config.groups.find((g) => offered.includes(g));
      if (chosen === undefined) return alert(40);
      const suite = hello.cipherSuites.find((s) => s >= 0x1301 && s <= 0x1303) ?? 0x1301;
      const keyShare =
        shared !== undefined
          ? Buffer.concat([
              Buffer.from([chosen >> 8, chosen & 0xff]),
              vec(2, crypto.randomBytes(shares.get(chosen)!.length)),
            ])
          : Buffer.from([chosen >> 8, chosen & 0xff]);
      const extensions = Buffer.concat([
        Buffer.from('002b00020304', 'hex'),
        Buffer.from([0, 51]),
        vec(2, keyShare),
      ]);
      const body = Buffer.concat([
        Buffer.from([3, 3]),
        shared !== undefined ? crypto.randomBytes(32) : HRR_RANDOM,
        vec(1, hello.sessionId),
        Buffer.from([suite >> 8, suite & 0xff, 0]),
        vec(2, extensions),
      ]);
      socket.end(record(22, 0x0303, handshake(2, body)));
    }),
  );
}
