// A minimal WebSocket client (RFC 6455) for the V8 inspector protocol: text messages only, client frames
// masked, server frames of any length and fragmentation, pings answered. Node 20 has no global WebSocket
// without --experimental-websocket and the `ws` package is not a dependency of perf-gate (only of its dev
// tools), so the few dozen lines the inspector needs live here (docs/attribution.md, "Profiling a live
// Node process").
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WebSocketConnection {
  send(text: string): void;
  /** Every complete text message, in order. */
  onMessage(listener: (text: string) => void): void;
  /** Called once when the connection ends, with why. */
  onClose(listener: (why: string) => void): void;
  close(): void;
}

/** One frame, masked as a client must. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const n = payload.length;
  const header = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (n < 126) header[1] = 0x80 | n;
  else if (n < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(n, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  const body = Buffer.alloc(n);
  for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}

/** Opens `ws://host:port/path`; rejects when the handshake fails or takes longer than `timeoutMs`. */
export function connectWebSocket(url: string, timeoutMs: number): Promise<WebSocketConnection> {
  const u = new URL(url);
  if (u.protocol !== 'ws:') return Promise.reject(new Error(`${url}: only ws:// URLs are supported`));
  const key = randomBytes(16).toString('base64');
  const expected = createHash('sha1')
    .update(key + ACCEPT_GUID)
    .digest('base64');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${url}: no WebSocket handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    let handshake = Buffer.alloc(0);
    let open = false;
    const messageListeners: ((text: string) => void)[] = [];
    // Messages that arrive before anyone listens (e.g. in the handshake's packet) wait for the first one.
    const queued: string[] = [];
    const closeListeners: ((why: string) => void)[] = [];
    let closedWhy: string | undefined;
    const ended = (why: string): void => {
      if (closedWhy !== undefined) return;
      closedWhy = why;
      clearTimeout(timer);
      if (!open) reject(new Error(`${url}: ${why}`));
      for (const l of closeListeners) l(why);
    };

    // Incoming frames: chunks are kept in a list and joined once per complete frame, so a profile of
    // several megabytes is copied a bounded number of times.
    let chunks: Buffer[] = [];
    let buffered = 0;
    let fragments: Buffer[] = [];
    const frames = (): void => {
      for (;;) {
        if (buffered < 2) return;
        const head = chunks[0]!.length >= 14 ? chunks[0]! : Buffer.concat(chunks, Math.min(buffered, 14));
        const fin = (head[0]! & 0x80) !== 0;
        const opcode = head[0]! & 0x0f;
        const masked = (head[1]! & 0x80) !== 0;
        let length = head[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (head.length < 4) return;
          length = head.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (head.length < 10) return;
          length = Number(head.readBigUInt64BE(2));
          offset = 10;
        }
        if (masked) offset += 4;
        if (buffered < offset + length) return;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
        let payload = all.subarray(offset, offset + length);
        if (masked) {
          const mask = all.subarray(offset - 4, offset);
          payload = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!));
        }
        const rest = all.subarray(offset + length);
        chunks = rest.length ? [rest] : [];
        buffered = rest.length;
        if (opcode === 0x8) {
          socket.end();
          return ended('the server closed the WebSocket');
        }
        if (opcode === 0x9) {
          socket.write(encodeFrame(0xa, Buffer.from(payload)));
          continue;
        }
        if (opcode === 0xa) continue;
        fragments.push(Buffer.from(payload));
        if (fin) {
          const text = Buffer.concat(fragments).toString('utf8');
          fragments = [];
          if (messageListeners.length === 0) queued.push(text);
          for (const l of messageListeners) l(text);
        }
      }
    };

    socket.on('connect', () => {
      socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (!open) {
        handshake = Buffer.concat([handshake, chunk]);
        const end = handshake.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = handshake.subarray(0, end).toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
        const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
        if (status !== '101' || accept !== expected) {
          socket.destroy();
          return ended(`WebSocket handshake refused (HTTP ${status ?? '?'})`);
        }
        open = true;
        clearTimeout(timer);
        const rest = handshake.subarray(end + 4);
        resolve({
          send: (text) => socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8'))),
          onMessage: (l) => {
            messageListeners.push(l);
            for (const text of queued.splice(0)) l(text);
          },
          onClose: (l) => (closedWhy !== undefined ? l(closedWhy) : void closeListeners.push(l)),
          close: () => {
            if (closedWhy === undefined) socket.end(encodeFrame(0x8, Buffer.alloc(0)));
            ended('closed by perf-gate');
          },
        });
        if (rest.length) {
          chunks = [rest];
          buffered = rest.length;
          frames();
        }
        return;
      }
      chunks.push(chunk);
      buffered += chunk.length;
      frames();
    });
    socket.on('error', (err) => ended(err.message));
    socket.on('close', () => ended('the connection closed'));
  });
}
