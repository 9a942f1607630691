/**
 * Readable distinguished names from DER (the CA names of a CertificateRequest). Output follows
 * Node's X509Certificate.subject order (as encoded, most general first), joined with ", ":
 * `C=US, O=Example, CN=Example CA`. Unknown attributes print as their dotted OID.
 */
import { WireError } from './bytes.js';

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

interface Tlv {
  tag: number;
  value: Buffer;
  end: number;
}

function readTlv(buf: Buffer, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new WireError('truncated DER');
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || pos + count > buf.length) throw new WireError('bad DER length');
    length = buf.readUIntBE(pos, count);
    pos += count;
  }
  if (pos + length > buf.length) throw new WireError('truncated DER value');
  return { tag, value: buf.subarray(pos, pos + length), end: pos + length };
}

function children(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < buf.length; ) {
    const tlv = readTlv(buf, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

function decodeOid(value: Buffer): string {
  if (value.length === 0) throw new WireError('empty OID');
  const parts: number[] = [];
  const first = value[0]!;
  parts.push(first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80);
  let acc = 0;
  for (let i = 1; i < value.length; i++) {
    acc = acc * 128 + (value[i]! & 0x7f);
    if ((value[i]! & 0x80) === 0) {
      parts.push(acc);
      acc = 0;
    }
  }
  return parts.join('.');
}

function decodeString(tag: number, value: Buffer): string {
  switch (tag) {
    case 0x1e: {
      // BMPString: UTF-16BE
      const swapped = Buffer.from(value);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < value.length; i += 4)
        s += String.fromCodePoint(value.readUInt32BE(i));
      return s;
    }
    case 0x0c:
      return value.toString('utf8');
    case 0x13:
    case 0x16:
    case 0x1a:
      return value.toString('ascii');
    case 0x14: // T61String: latin1 is the common reading
      return value.toString('latin1');
    default:
      return `#${value.toString('hex')}`;
  }
}

/** Formats a DER-encoded Name (SEQUENCE OF RDN). Throws WireError on malformed input. */
export function formatDistinguishedName(der: Buffer): string {
  const name = readTlv(der, 0);
  if (name.tag !== 0x30) throw new WireError('Name is not a SEQUENCE');
  const parts: string[] = [];
  for (const rdn of children(name.value)) {
    if (rdn.tag !== 0x31) throw new WireError('RDN is not a SET');
    const attributes = children(rdn.value).map((atv) => {
      const [type, value] = children(atv.value);
      if (!type || !value || type.tag !== 0x06) throw new WireError('bad AttributeTypeAndValue');
      const oid = decodeOid(type.value);
      return `${ATTRIBUTE_NAMES[oid] ?? oid}=${decodeString(value.tag, value.value)}`;
    });
    parts.push(attributes.join(' + '));
  }
  return parts.join(', ');
}

/** Like {@link formatDistinguishedName}, but never throws: malformed names print as hex. */
export function describeDistinguishedName(der: Buffer): string {
  try {
    return formatDistinguishedName(der);
  } catch {
    return `#${der.toString('hex')}`;
  }
}
