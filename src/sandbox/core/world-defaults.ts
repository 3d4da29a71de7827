import { PROVINCES } from './geo-data.js';
import type { SeededRandom } from './random.js';
import { beijingYyMmDd } from './time-format.js';
import type { SbLine, SbPlatform, SbReceiver } from './types.js';

/** Carriers by their lower-case Kuaidi100 code. */
export const CARRIERS: Readonly<Record<string, string>> = {
  zhongtong: '中通快递',
  yuantong: '圆通速递',
  shentong: '申通快递',
  yunda: '韵达快递',
  shunfeng: '顺丰速运',
  ems: 'EMS',
  jtexpress: '极兔速递',
  youzhengguonei: '邮政快递包裹',
};

/** Tracking numbers shaped like each carrier's (length and prefix), from a seeded source. */
export function newTrackingNo(carrierCode: string, rng: SeededRandom): string {
  switch (carrierCode) {
    case 'zhongtong':
      return `7${rng.digits(13)}`;
    case 'yuantong':
      return `YT${rng.digits(13)}`;
    case 'shunfeng':
      return `SF${rng.digits(13)}`;
    case 'yunda':
      return `43${rng.digits(11)}`;
    case 'shentong':
      return `77${rng.digits(13)}`;
    case 'jtexpress':
      return `JT${rng.digits(13)}`;
    default:
      return `9${rng.digits(12)}`;
  }
}

/** Ids as each platform shapes them; Taobao tid and Kuaishou oid exceed 2^53, so always strings. */
export function newOrderId(platform: SbPlatform, at: number, rng: SeededRandom): string {
  switch (platform) {
    case 'taobao':
      return `2${rng.digits(18)}`;
    case 'pinduoduo':
      return `${beijingYyMmDd(at)}-${rng.digits(15)}`;
    case 'kuaishou':
      return `2${rng.digits(15)}`;
    case 'jushuitan':
      return `JS${rng.digits(12)}`;
  }
}

const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴', '林', '何'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '军', '杰', '婷'];
const STREETS = ['人民路', '建设路', '解放路', '中山路', '和平街', '新华路', '科技园路', '滨江大道'];

export function randomReceiver(rng: SeededRandom, province?: string): SbReceiver {
  const p = (province && PROVINCES.find((x) => x.name === province)) || rng.pick(PROVINCES);
  const city = rng.pick(p.cities);
  return {
    province: p.name,
    city: city.name,
    district: rng.pick(city.districts),
    name: rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.next() < 0.5 ? rng.pick(GIVEN) : ''),
    mobile: `1${rng.pick(['38', '39', '58', '86', '36', '77'])}${rng.digits(8)}`,
    address: `${rng.pick(STREETS)}${rng.int(1, 999)}号${rng.int(1, 30)}栋${rng.int(101, 2505)}室`,
  };
}

const PRODUCTS = [
  { title: '纯棉短袖T恤', props: ['颜色:白色;尺码:L', '颜色:黑色;尺码:XL', '颜色:蓝色;尺码:M'], priceFen: 5900 },
  { title: '保温杯 500ml', props: ['颜色:银色', '颜色:粉色'], priceFen: 8900 },
  { title: '无线蓝牙耳机', props: ['颜色:白色'], priceFen: 19900 },
  { title: '儿童雨靴', props: ['尺码:28', '尺码:30'], priceFen: 4500 },
];

export function randomLines(rng: SeededRandom, orderId: string): SbLine[] {
  const n = rng.next() < 0.8 ? 1 : 2;
  const lines: SbLine[] = [];
  for (let i = 0; i < n; i++) {
    const idx = rng.int(0, PRODUCTS.length - 1);
    const p = PRODUCTS[idx];
    const propIdx = rng.int(0, p.props.length - 1);
    lines.push({
      lineId: `${orderId.replace(/\D/g, '').slice(0, 15)}${i + 1}`,
      skuId: `${(idx + 1) * 1000 + propIdx}`,
      outerSkuId: `SKU-${(idx + 1) * 1000 + propIdx}`,
      title: p.title,
      props: p.props[propIdx],
      qty: rng.int(1, 3),
      priceFen: p.priceFen,
    });
  }
  return lines;
}
