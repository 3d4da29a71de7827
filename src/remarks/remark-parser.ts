import { createHash } from 'node:crypto';
import { COURIERS, type AddressFields, type RemarkFields, type RemarkKind } from './remark-kinds.js';

export type ParsedRemark =
  | { status: 'standard'; kind: RemarkKind; fields: RemarkFields; agentId: string; date: string; line: string }
  | { status: 'malformed'; kind: RemarkKind; problems: string[]; agentId: string | null; line: string }
  | { status: 'free'; line: string };

const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const AGENT = /^[A-Za-z0-9_\-\u4e00-\u9fa5]{1,20}$/;
const PHONE = /^1\d{10}$/;
const SHIP_DATE = /^(\d{1,2})月(\d{1,2})日发货$/;
const PRODUCT = /^(.+?)(?:[(（]([^()（）]+)[)）])?[,，]\s*(\d+)$/;

/**
 * Reads remark lines people write in Qianniu or the ERP. People type commas as `,` or `，` and
 * sometimes spaces, so the tail `<agent>,<date>` is taken loosely; the body decides the kind.
 * A line that starts like a standard remark but lacks its agent id or date, or names 顺丰 without
 * 标快/特快 and 寄付/到付, is malformed: its author gets a fix-it task.
 */
export function parseRemarkLine(raw: string): ParsedRemark {
  const line = raw.trim();
  if (!line) return { status: 'free', line };
  const { body, agentId, date } = splitTail(line);
  const kind = kindOf(body);
  if (!kind) return { status: 'free', line };
  const problems: string[] = [];
  if (!agentId) problems.push('缺少客服ID');
  if (!date) problems.push('缺少日期');
  const fields = fieldsOf(kind, body, problems);
  if (problems.length || !fields || !agentId || !date) return { status: 'malformed', kind, problems, agentId, line };
  return { status: 'standard', kind, fields, agentId, date, line };
}

/** A memo line's identity without its content: decisions and rows point at a line by this. */
export function memoLineHash(line: string): string {
  return createHash('sha256').update(line.trim()).digest('hex').slice(0, 32);
}

/** The line of a memo with this hash, if the memo still carries it. */
export function memoLineOf(memo: string | null | undefined, hash: string): string | null {
  return (memo ?? '').split(/\r?\n/).find((l) => l.trim() && memoLineHash(l) === hash)?.trim() ?? null;
}

/** The address of the address-change line with this hash, if the memo still carries it well-formed. */
export function addressInMemo(memo: string | null | undefined, hash: string): AddressFields | null {
  const line = memoLineOf(memo, hash);
  const parsed = line ? parseRemarkLine(line) : null;
  return parsed?.status === 'standard' && parsed.fields.kind === 'address_change' ? parsed.fields.address : null;
}

/** Every line of a memo, parsed; blank lines dropped. */
export function parseMemo(memo: string | null | undefined): ParsedRemark[] {
  return (memo ?? '').split(/\r?\n/).filter((l) => l.trim()).map(parseRemarkLine);
}

function splitTail(line: string): { body: string; agentId: string | null; date: string | null } {
  const parts = line.split(/[,，]|\s+/);
  const last = parts.at(-1) ?? '';
  const m = DATE.exec(last);
  if (!m) return { body: line, agentId: null, date: null };
  const date = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const beforeDate = line.slice(0, line.length - last.length).replace(/[,，\s]+$/, '');
  const agentMatch = /[,，\s]([^,，\s]+)$/.exec(beforeDate);
  if (!agentMatch || !AGENT.test(agentMatch[1]) || looksLikeBodyEnd(agentMatch[1])) return { body: beforeDate, agentId: null, date };
  return { body: beforeDate.slice(0, agentMatch.index).trim(), agentId: agentMatch[1], date };
}

/** A trailing token that belongs to the body (a quantity, a courier option), not an agent id. */
function looksLikeBodyEnd(token: string): boolean {
  return /^\d+$/.test(token) || ['寄付', '到付', '标快', '特快'].includes(token) || PHONE.test(token);
}

/** The kinds recognisable from the line alone; product, refund and other requests read as free text. */
type RecognisedKind = Extract<RemarkKind, 'address_change' | 'reship' | 'chased' | 'ship_date' | 'courier_request'>;

function kindOf(body: string): RecognisedKind | null {
  if (body.startsWith('修改地址为')) return 'address_change';
  if (body.startsWith('补发单号')) return 'reship';
  if (body.startsWith('已催件')) return 'chased';
  if (SHIP_DATE.test(body)) return 'ship_date';
  if (COURIERS.some((c) => body.startsWith(c))) return 'courier_request';
  return null;
}

function fieldsOf(kind: RecognisedKind, body: string, problems: string[]): RemarkFields | null {
  switch (kind) {
    case 'address_change':
      return addressFields(body.replace(/^修改地址为[:：]?\s*/, ''), problems);
    case 'reship': {
      const m = /^补发单号[:：]\s*(\S+)\s+([A-Za-z0-9]+)$/.exec(body);
      if (!m) problems.push('补发单号格式应为 补发单号:<快递> <单号>');
      return m ? { kind, courier: m[1], trackingNo: m[2] } : null;
    }
    case 'chased':
      return { kind };
    case 'ship_date': {
      const m = SHIP_DATE.exec(body)!;
      return { kind, month: Number(m[1]), day: Number(m[2]) };
    }
    case 'courier_request':
      return courierFields(body, problems);
  }
}

function courierFields(body: string, problems: string[]): RemarkFields {
  const tokens = body.split(/[\s,，]+/).filter(Boolean);
  const courier = COURIERS.find((c) => tokens[0]?.startsWith(c)) ?? tokens[0];
  const service = tokens.find((t): t is '标快' | '特快' => t === '标快' || t === '特快');
  const payment = tokens.find((t): t is '寄付' | '到付' => t === '寄付' || t === '到付');
  if (courier === '顺丰') {
    if (!service) problems.push('顺丰需备注标快/特快');
    if (!payment) problems.push('顺丰需备注寄付/到付');
  }
  return { kind: 'courier_request', courier, service, payment };
}

function addressFields(text: string, problems: string[]): RemarkFields | null {
  const tokens = text.split(/[\s,，]+/).filter(Boolean);
  const phone = tokens.at(-1) ?? '';
  if (tokens.length < 6 || !PHONE.test(phone)) {
    problems.push('地址需包含省 市 区 详细地址 姓名 电话');
    return null;
  }
  const [province, city, district] = tokens;
  const name = tokens.at(-2)!;
  const detail = tokens.slice(3, -2).join(' ');
  const address: AddressFields = { province, city, district, detail, name, phone };
  return { kind: 'address_change', address };
}

/** The product-change body is free-form ("蓝色 XL(SKU-1002),2"); parsed only when asked for. */
export function parseProductBody(body: string): { product: string; sku?: string; quantity: number } | null {
  const m = PRODUCT.exec(body.trim());
  return m ? { product: m[1].trim(), sku: m[2]?.trim(), quantity: Number(m[3]) } : null;
}
