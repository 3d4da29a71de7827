import type { SbZone } from './types.js';

export interface SbProvince {
  name: string;
  cities: { name: string; districts: string[] }[];
}

/** The 31 mainland provincial divisions with a few real cities and districts each. */
export const PROVINCES: readonly SbProvince[] = [
  { name: '北京市', cities: [{ name: '北京市', districts: ['朝阳区', '海淀区', '东城区', '丰台区'] }] },
  { name: '天津市', cities: [{ name: '天津市', districts: ['和平区', '南开区', '河西区'] }] },
  { name: '上海市', cities: [{ name: '上海市', districts: ['浦东新区', '徐汇区', '静安区', '闵行区'] }] },
  { name: '重庆市', cities: [{ name: '重庆市', districts: ['渝中区', '江北区', '南岸区'] }] },
  { name: '河北省', cities: [{ name: '石家庄市', districts: ['长安区', '桥西区'] }, { name: '保定市', districts: ['竞秀区', '莲池区'] }] },
  { name: '山西省', cities: [{ name: '太原市', districts: ['小店区', '迎泽区'] }, { name: '大同市', districts: ['平城区'] }] },
  { name: '辽宁省', cities: [{ name: '沈阳市', districts: ['和平区', '沈河区'] }, { name: '大连市', districts: ['中山区', '甘井子区'] }] },
  { name: '吉林省', cities: [{ name: '长春市', districts: ['朝阳区', '南关区'] }, { name: '吉林市', districts: ['船营区'] }] },
  { name: '黑龙江省', cities: [{ name: '哈尔滨市', districts: ['南岗区', '道里区'] }, { name: '齐齐哈尔市', districts: ['龙沙区'] }] },
  { name: '江苏省', cities: [{ name: '南京市', districts: ['玄武区', '鼓楼区'] }, { name: '苏州市', districts: ['姑苏区', '吴中区'] }] },
  { name: '浙江省', cities: [{ name: '杭州市', districts: ['西湖区', '余杭区'] }, { name: '宁波市', districts: ['鄞州区', '海曙区'] }] },
  { name: '安徽省', cities: [{ name: '合肥市', districts: ['蜀山区', '包河区'] }, { name: '芜湖市', districts: ['镜湖区'] }] },
  { name: '福建省', cities: [{ name: '福州市', districts: ['鼓楼区', '台江区'] }, { name: '厦门市', districts: ['思明区', '湖里区'] }] },
  { name: '江西省', cities: [{ name: '南昌市', districts: ['东湖区', '西湖区'] }, { name: '赣州市', districts: ['章贡区'] }] },
  { name: '山东省', cities: [{ name: '济南市', districts: ['历下区', '市中区'] }, { name: '青岛市', districts: ['市南区', '崂山区'] }] },
  { name: '河南省', cities: [{ name: '郑州市', districts: ['金水区', '中原区'] }, { name: '洛阳市', districts: ['洛龙区'] }] },
  { name: '湖北省', cities: [{ name: '武汉市', districts: ['武昌区', '洪山区'] }, { name: '宜昌市', districts: ['西陵区'] }] },
  { name: '湖南省', cities: [{ name: '长沙市', districts: ['岳麓区', '芙蓉区'] }, { name: '株洲市', districts: ['天元区'] }] },
  { name: '广东省', cities: [{ name: '广州市', districts: ['天河区', '越秀区', '番禺区'] }, { name: '深圳市', districts: ['南山区', '福田区', '宝安区'] }] },
  { name: '广西壮族自治区', cities: [{ name: '南宁市', districts: ['青秀区', '兴宁区'] }, { name: '桂林市', districts: ['秀峰区'] }] },
  { name: '海南省', cities: [{ name: '海口市', districts: ['美兰区', '龙华区'] }, { name: '三亚市', districts: ['吉阳区'] }] },
  { name: '四川省', cities: [{ name: '成都市', districts: ['武侯区', '锦江区'] }, { name: '绵阳市', districts: ['涪城区'] }] },
  { name: '贵州省', cities: [{ name: '贵阳市', districts: ['南明区', '云岩区'] }, { name: '遵义市', districts: ['汇川区'] }] },
  { name: '云南省', cities: [{ name: '昆明市', districts: ['五华区', '盘龙区'] }, { name: '大理白族自治州', districts: ['大理市'] }] },
  { name: '西藏自治区', cities: [{ name: '拉萨市', districts: ['城关区', '堆龙德庆区'] }] },
  { name: '陕西省', cities: [{ name: '西安市', districts: ['雁塔区', '碑林区'] }, { name: '宝鸡市', districts: ['渭滨区'] }] },
  { name: '甘肃省', cities: [{ name: '兰州市', districts: ['城关区', '七里河区'] }] },
  { name: '青海省', cities: [{ name: '西宁市', districts: ['城东区', '城西区'] }] },
  { name: '宁夏回族自治区', cities: [{ name: '银川市', districts: ['兴庆区', '金凤区'] }] },
  { name: '新疆维吾尔自治区', cities: [{ name: '乌鲁木齐市', districts: ['天山区', '沙依巴克区'] }, { name: '喀什地区', districts: ['喀什市'] }] },
  { name: '内蒙古自治区', cities: [{ name: '呼和浩特市', districts: ['新城区', '赛罕区'] }, { name: '包头市', districts: ['昆都仑区'] }] },
];

/**
 * Default zone table for a warehouse in 广东. Judgement, not carrier data: 一区 is 广东 itself and the
 * neighbours a truck reaches overnight; 三区 is the far north-west, Tibet, Inner Mongolia and the
 * north-east, where carriers quote 3–5 days; everything else (north, east, centre, south-west) is 二区.
 */
export const GUANGDONG_ZONES: Readonly<Record<string, SbZone>> = {
  广东省: 1, 广西壮族自治区: 1, 福建省: 1, 湖南省: 1, 江西省: 1, 海南省: 1,
  北京市: 2, 天津市: 2, 河北省: 2, 山西省: 2, 辽宁省: 2, 上海市: 2, 江苏省: 2, 浙江省: 2, 安徽省: 2,
  山东省: 2, 河南省: 2, 湖北省: 2, 重庆市: 2, 四川省: 2, 贵州省: 2, 云南省: 2, 陕西省: 2,
  新疆维吾尔自治区: 3, 西藏自治区: 3, 青海省: 3, 宁夏回族自治区: 3, 甘肃省: 3, 内蒙古自治区: 3,
  黑龙江省: 3, 吉林省: 3,
};

/** Provinces remote from anywhere in the east: used as 三区 for warehouses other than 广东. */
const REMOTE = new Set(['新疆维吾尔自治区', '西藏自治区', '青海省', '宁夏回族自治区', '甘肃省', '内蒙古自治区']);

const SHORT_NAMES = new Map(PROVINCES.map((p) => [p.name.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, ''), p.name]));

/** Accept '广东' as well as '广东省'. */
export function normalizeProvince(name: string): string {
  if (GUANGDONG_ZONES[name] !== undefined) return name;
  return SHORT_NAMES.get(name) ?? name;
}

export function zoneOf(warehouseProvince: string, destProvince: string): SbZone {
  const from = normalizeProvince(warehouseProvince);
  const to = normalizeProvince(destProvince);
  if (from === '广东省') return GUANGDONG_ZONES[to] ?? 2;
  if (from === to) return 1;
  return REMOTE.has(to) ? 3 : 2;
}

/** Days from collection to signing per zone: 一区 1–2, 二区 2–3, 三区 3–5. */
export const ZONE_TRANSIT_DAYS: Readonly<Record<SbZone, [number, number]>> = { 1: [1, 2], 2: [2, 3], 3: [3, 5] };
