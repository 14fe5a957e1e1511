// Deterministic feed generator for the benchmark: RSS 2.0 feeds of Chinese news items.
// Same seed + same sizes + same `now` → byte-identical feeds.

import { renderPost } from '../dist/post/post-text.js';

/** mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** `count` distinct elements of `list`. */
  sample(list, count) {
    const copy = list.slice();
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, count);
  }
  hex(length) {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

// ── vocabulary (a few hundred words of everyday Chinese news language) ──────────────────────────────────────

const PLACES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '成都',
  '重庆',
  '武汉',
  '西安',
  '南京',
  '天津',
  '苏州',
  '长沙',
  '郑州',
  '青岛',
  '厦门',
  '昆明',
  '大连',
  '沈阳',
  '哈尔滨',
  '香港',
  '澳门',
  '台北',
  '新加坡',
  '东京',
  '首尔',
  '伦敦',
  '巴黎',
  '柏林',
  '纽约',
  '华盛顿',
  '莫斯科',
  '迪拜',
  '悉尼',
  '雅加达',
  '曼谷',
  '河内',
  '开罗',
  '内罗毕',
  '圣保罗',
];
const ORGS = [
  '国务院',
  '国家统计局',
  '央行',
  '财政部',
  '商务部',
  '工信部',
  '教育部',
  '卫健委',
  '生态环境部',
  '交通运输部',
  '证监会',
  '市政府',
  '联合国',
  '世界卫生组织',
  '国际货币基金组织',
  '世界银行',
  '欧盟委员会',
  '东盟',
  '二十国集团',
  '科学院',
  '研究院',
  '清华大学',
  '北京大学',
  '复旦大学',
  '浙江大学',
  '行业协会',
  '消费者协会',
  '气象台',
  '地震台网',
  '海关总署',
];
const SUBJECTS = [
  '新能源汽车',
  '人工智能',
  '芯片产业',
  '半导体',
  '大模型',
  '电动车',
  '光伏',
  '储能电池',
  '跨境电商',
  '直播带货',
  '房地产市场',
  '楼市',
  '股市',
  '债券市场',
  '人民币汇率',
  '消费市场',
  '制造业',
  '服务业',
  '外贸',
  '农业',
  '粮食生产',
  '物流',
  '快递业',
  '旅游业',
  '餐饮业',
  '零售业',
  '医疗改革',
  '医保',
  '养老金',
  '就业',
  '高校毕业生',
  '中小企业',
  '民营经济',
  '数字经济',
  '低空经济',
  '无人机',
  '卫星互联网',
  '量子计算',
  '5G网络',
  '算力中心',
  '数据安全',
  '网络安全',
  '智能手机',
  '操作系统',
  '开源社区',
  '云计算',
  '机器人',
  '自动驾驶',
  '生物医药',
  '疫苗',
  '新药研发',
  '空气质量',
  '碳排放',
  '碳交易',
  '可再生能源',
  '水电',
  '风电',
  '核电',
  '天然气',
  '原油价格',
  '黄金价格',
  '铁路建设',
  '高铁',
  '城市地铁',
  '航空公司',
  '航天工程',
  '探月工程',
  '空间站',
  '深海探测',
  '极端天气',
  '台风',
  '暴雨',
  '高温',
  '寒潮',
  '地震',
  '森林防火',
  '文物保护',
  '电影票房',
  '电视剧',
  '短视频',
  '网络文学',
  '游戏产业',
  '体育赛事',
  '足球联赛',
  '篮球联赛',
  '马拉松',
  '奥运会',
  '亚运会',
];
const PEOPLE = [
  '专家',
  '分析人士',
  '业内人士',
  '经济学家',
  '研究人员',
  '发言人',
  '负责人',
  '消费者',
  '市民',
  '游客',
  '投资者',
  '企业家',
  '工程师',
  '医生',
  '教师',
  '学生',
  '志愿者',
  '记者',
  '评论员',
  '官员',
  '代表',
  '委员',
  '农民',
  '快递员',
  '外卖骑手',
];
const VERBS = [
  '发布',
  '公布',
  '宣布',
  '表示',
  '指出',
  '认为',
  '强调',
  '透露',
  '介绍',
  '称',
  '预计',
  '推动',
  '加快',
  '促进',
  '支持',
  '鼓励',
  '规范',
  '加强',
  '完善',
  '优化',
  '提升',
  '扩大',
  '降低',
  '减少',
  '增加',
  '稳定',
  '启动',
  '完成',
  '实施',
  '部署',
  '出台',
  '召开',
  '举行',
  '签署',
  '达成',
  '突破',
  '实现',
  '刷新',
  '创下',
  '回落',
  '上涨',
  '下跌',
  '反弹',
  '放缓',
  '回暖',
  '恢复',
  '关注',
  '调查',
  '处罚',
  '约谈',
  '通报',
  '提醒',
  '呼吁',
  '回应',
  '澄清',
  '落地',
  '试点',
  '推广',
  '升级',
  '开通',
  '投产',
];
const OBJECTS = [
  '政策',
  '措施',
  '方案',
  '意见',
  '通知',
  '规划',
  '报告',
  '数据',
  '指数',
  '指标',
  '标准',
  '规定',
  '办法',
  '细则',
  '目标',
  '项目',
  '工程',
  '计划',
  '合作',
  '协议',
  '谈判',
  '会议',
  '论坛',
  '峰会',
  '展会',
  '发布会',
  '新品',
  '产品',
  '服务',
  '平台',
  '技术',
  '成果',
  '专利',
  '模式',
  '机制',
  '体系',
  '改革',
  '试验',
  '调研',
  '监管',
  '审查',
  '评估',
  '投资',
  '融资',
  '订单',
  '利润',
  '营收',
  '销量',
  '产量',
  '价格',
  '成本',
  '需求',
  '供给',
  '库存',
  '出口',
  '进口',
  '客流',
  '票房',
  '排名',
  '纪录',
];
const ADJECTIVES = [
  '新一轮',
  '全面',
  '重大',
  '重要',
  '关键',
  '持续',
  '稳步',
  '大幅',
  '明显',
  '显著',
  '小幅',
  '首个',
  '最新',
  '年度',
  '季度',
  '全国性',
  '区域性',
  '国际',
  '跨境',
  '高质量',
  '绿色',
  '智能',
  '数字化',
  '低碳',
  '创新',
  '综合',
  '长期',
  '短期',
  '阶段性',
];
const TIMES = [
  '今年以来',
  '上半年',
  '前三季度',
  '去年同期',
  '本周',
  '近日',
  '日前',
  '昨天',
  '今天上午',
  '今天下午',
  '本月',
  '上月',
  '近年来',
  '未来五年',
  '到2030年',
  '此前',
  '目前',
  '下一步',
  '同比',
  '环比',
];
const CONNECTORS = [
  '与此同时',
  '此外',
  '另外',
  '据悉',
  '据了解',
  '值得注意的是',
  '业内普遍认为',
  '数据显示',
  '报道称',
  '分析指出',
  '一方面',
  '另一方面',
  '总体来看',
  '从结构上看',
  '具体来说',
  '对此',
  '不过',
  '然而',
  '因此',
  '记者注意到',
];
const CHANNELS = [
  '要闻',
  '国内',
  '国际',
  '财经',
  '科技',
  '社会',
  '体育',
  '娱乐',
  '文化',
  '教育',
  '健康',
  '汽车',
  '房产',
  '军事',
  '评论',
  '地方',
  '数码',
  '互联网',
  '环境',
  '旅游',
  '读书',
  '历史',
  '视频',
  '图片',
];
const OUTLETS = [
  '晨报',
  '日报',
  '晚报',
  '新闻网',
  '在线',
  '观察',
  '财经',
  '时报',
  '周刊',
  '资讯',
  '前沿',
  '快讯',
  '商报',
  '青年报',
  '科技报',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '晨',
  '宇',
  '欣然',
  '子涵',
  '浩然',
  '梓萱',
];
const LATIN = [
  'news',
  'daily',
  'times',
  'post',
  'online',
  'info',
  'zixun',
  'xinwen',
  'caijing',
  'keji',
  'tiyu',
  'shehui',
  'guoji',
  'wenhua',
];

// ── text ─────────────────────────────────────────────────────────────────────────────────────────────────────

function clause(r) {
  switch (r.int(0, 5)) {
    case 0:
      return `${r.pick(TIMES)}，${r.pick(PLACES)}${r.pick(SUBJECTS)}${r.pick(OBJECTS)}${r.pick(VERBS)}${r.int(2, 98)}.${r.int(0, 9)}%`;
    case 1:
      return `${r.pick(ORGS)}${r.pick(VERBS)}${r.pick(ADJECTIVES)}${r.pick(SUBJECTS)}${r.pick(OBJECTS)}`;
    case 2:
      return `${r.pick(PEOPLE)}${r.pick(['表示', '认为', '指出', '称'])}，${r.pick(SUBJECTS)}${r.pick(['仍有较大空间', '面临新的挑战', '进入关键阶段', '需要更多耐心', '有望继续回暖', '正在加速调整'])}`;
    case 3:
      return `${r.pick(CONNECTORS)}，${r.pick(SUBJECTS)}${r.pick(['领域', '行业', '市场', '板块'])}的${r.pick(OBJECTS)}${r.pick(VERBS)}`;
    case 4:
      return `${r.pick(PLACES)}${r.pick(['将', '已', '正', '计划'])}${r.pick(VERBS)}${r.int(3, 500)}个${r.pick(ADJECTIVES)}${r.pick(OBJECTS)}`;
    default:
      return `${r.pick(ADJECTIVES)}${r.pick(SUBJECTS)}${r.pick(OBJECTS)}${r.pick(['引发关注', '备受瞩目', '取得进展', '持续推进', '逐步落地', '成效初显'])}`;
  }
}

function sentence(r) {
  const parts = [clause(r)];
  for (let i = r.int(0, 2); i > 0; i--) parts.push(clause(r));
  return `${parts.join('，')}。`;
}

function paragraph(r) {
  let text = '';
  for (let i = r.int(3, 6); i > 0; i--) text += sentence(r);
  return text;
}

export function title(r) {
  switch (r.int(0, 4)) {
    case 0:
      return `${r.pick(PLACES)}${r.pick(VERBS)}${r.pick(ADJECTIVES)}${r.pick(SUBJECTS)}${r.pick(OBJECTS)}`;
    case 1:
      return `${r.pick(ORGS)}：${r.pick(TIMES)}${r.pick(SUBJECTS)}${r.pick(OBJECTS)}${r.pick(VERBS)}${r.int(2, 60)}%`;
    case 2:
      return `${r.pick(SUBJECTS)}${r.pick(['迎来', '进入', '面临', '开启'])}${r.pick(ADJECTIVES)}${r.pick(OBJECTS)}  ${r.pick(PEOPLE)}${r.pick(['解读', '点评', '怎么看'])}`;
    case 3:
      return `“${r.pick(SUBJECTS)}”${r.pick(OBJECTS)}${r.pick(VERBS)}，${r.pick(PLACES)}${r.pick(['率先', '再次', '首次'])}${r.pick(VERBS)}`;
    default:
      return `${r.pick(TIMES)}${r.pick(PLACES)}${r.pick(SUBJECTS)}${r.pick(OBJECTS)}${r.pick(VERBS)}${r.pick(['新高', '新低', '纪录', '预期'])}`;
  }
}

function person(r) {
  return r.pick(SURNAMES) + r.pick(GIVEN);
}

// ── the site a feed belongs to ───────────────────────────────────────────────────────────────────────────────

/** Stable description of feed number `n` (1-based): its site, channel, name and categories. */
export function describeFeed(seed, n) {
  const r = new Random((seed ^ Math.imul(n, 0x9e3779b1)) >>> 0);
  const place = r.pick(PLACES);
  const outlet = r.pick(OUTLETS);
  const channel = r.pick(CHANNELS);
  const domain = `www.${r.pick(LATIN)}${n}.com.cn`;
  const siteName = `${place}${outlet}`;
  const group = r.pick(['新闻', '财经媒体', '科技媒体', '地方媒体', '门户网站', '行业媒体', '新媒体']);
  return {
    n,
    domain,
    siteName,
    channel,
    name: `${siteName}·${channel}`,
    categories: [group, siteName, channel],
  };
}

// ── items and feeds ──────────────────────────────────────────────────────────────────────────────────────────

const DAY = 86_400_000;

/** RFC 822 date in +0800, as Chinese publishers write it. */
export function rfc822(ms) {
  const d = new Date(ms + 8 * 3_600_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (v) => String(v).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0800`;
}

function image(r, feed, lazy, clean) {
  const path = `https://img.${feed.domain.slice(4)}/uploads/${r.int(2020, 2025)}/${String(r.int(1, 12)).padStart(2, '0')}/${r.hex(16)}.${r.pick(['jpg', 'jpg', 'png', 'webp'])}`;
  const size = r.pick([
    [640, 360],
    [800, 450],
    [1024, 576],
    [1200, 800],
    [600, 400],
  ]);
  const alt = r.pick(SUBJECTS);
  if (clean) {
    // as newsstand publishes an image: the real source, lazy loading by the browser, no referrer
    return `<img src="${path}" width="${size[0]}" height="${size[1]}" alt="${alt}" loading="lazy" referrerpolicy="no-referrer">`;
  }
  if (lazy) {
    return `<img class="lazyload" src="https://static.${feed.domain.slice(4)}/assets/blank.gif" data-src="${path}" width="${size[0]}" height="${size[1]}" alt="${alt}">`;
  }
  return `<img src="${path}" width="${size[0]}" height="${size[1]}" alt="${alt}">`;
}

/**
 * About `targetBytes` of article HTML: paragraphs, a heading, sometimes a list, 1–3 images, sometimes a pixel.
 * `clean` gives the HTML as newsstand publishes it instead: no lazy-loading tricks, no tracking pixel.
 */
function articleHtml(r, feed, targetBytes, clean = false) {
  const images = r.int(1, 3);
  const lazyAt = r.chance(0.3) ? r.int(0, images - 1) : -1;
  const blocks = [
    `<p>${paragraph(r)}</p>`,
    `<figure>${image(r, feed, lazyAt === 0, clean)}<figcaption>${sentence(r)}</figcaption></figure>`,
  ];
  let bytes = Buffer.byteLength(blocks.join(''));
  let placed = 1;
  let heading = false;
  let list = !r.chance(0.35); // true = no list to place
  while (bytes < targetBytes) {
    let block;
    if (!heading && bytes > targetBytes / 3) {
      block = `<h2>${title(r)}</h2>`;
      heading = true;
    } else if (!list && bytes > targetBytes / 2) {
      const entries = [];
      for (let i = r.int(3, 5); i > 0; i--) entries.push(`<li>${clause(r)}</li>`);
      block = `<ul>${entries.join('')}</ul>`;
      list = true;
    } else if (placed < images && bytes > (targetBytes * placed) / images) {
      block = `<p>${image(r, feed, lazyAt === placed, clean)}</p>`;
      placed++;
    } else {
      block = `<p>${paragraph(r)}</p>`;
    }
    blocks.push(block);
    bytes += Buffer.byteLength(block);
  }
  blocks.push(`<p>（${r.pick(['来源', '责任编辑', '编辑', '记者'])}：${person(r)}）</p>`);
  if (r.chance(0.15) && !clean) {
    blocks.push(`<img src="https://stat.${feed.domain.slice(4)}/track.gif?id=${r.hex(12)}" width="1" height="1" alt="">`);
  }
  return blocks.join('\n');
}

/**
 * Feed `feed` with `count` items, the newest published `newestAgoMs` before `now`, spread over `spanMs`.
 * Returns { items: [{ guid, xml }], ... } so that items can be prepended later (a "bump").
 */
export function generateItems(seed, feed, count, now, { itemBytes = 4096, spanMs = 20 * DAY } = {}) {
  const r = new Random((seed * 31 + feed.n * 7919) >>> 0);
  const newestAgo = r.int(10 * 60_000, 2 * DAY); // the feed last changed 10 min – 2 days ago
  const items = [];
  for (let i = 0; i < count; i++) {
    // newest first, evenly spread down to ~spanMs ago, jittered; never older than spanMs
    const step = (spanMs - newestAgo - 3_600_000) / Math.max(1, count);
    const ago = Math.min(spanMs - 60_000, newestAgo + Math.floor(i * step + r.next() * step * 0.8));
    items.push(generateItem(r, feed, i + 1, now - ago, itemBytes));
  }
  return items;
}

/** One <item>. `seq` is unique within the feed; the guid and link are unique across feeds. */
export function generateItem(r, feed, seq, publishedMs, itemBytes = 4096) {
  const id = `${feed.n}-${seq}-${r.hex(6)}`;
  const d = new Date(publishedMs);
  const link = `https://${feed.domain}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}/${id}.html`;
  const cats = r.sample(SUBJECTS, r.int(1, 3));
  const html = articleHtml(r, feed, itemBytes - 600);
  const xml = [
    '    <item>',
    `      <title><![CDATA[${title(r)}]]></title>`,
    `      <link>${link}</link>`,
    `      <guid isPermaLink="false">${feed.domain}/${id}</guid>`,
    `      <pubDate>${rfc822(publishedMs)}</pubDate>`,
    `      <dc:creator><![CDATA[${person(r)}]]></dc:creator>`,
    ...cats.map((c) => `      <category><![CDATA[${c}]]></category>`),
    `      <description><![CDATA[${html}]]></description>`,
    '    </item>',
  ].join('\n');
  return { guid: `${feed.domain}/${id}`, publishedMs, xml };
}

/** The whole RSS 2.0 document for a feed and its items (newest first). */
export function renderFeed(feed, items) {
  const lastBuild = items.length ? Math.max(...items.map((i) => i.publishedMs)) : 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title><![CDATA[${feed.name}]]></title>`,
    `    <link>https://${feed.domain}/${encodeURIComponent(feed.channel)}/</link>`,
    `    <description><![CDATA[${feed.siteName}${feed.channel}频道最新消息]]></description>`,
    '    <language>zh-cn</language>',
    `    <lastBuildDate>${rfc822(lastBuild)}</lastBuildDate>`,
    '    <generator>newsstand-bench</generator>',
    '    <ttl>30</ttl>',
    ...items.map((i) => i.xml),
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

// ── posts, as newsstand writes them (for the build benchmark) ───────────────────────────────────────────────

/** Yields `count` posts as { name, text }: one at a time, so that 100,000 posts are never all in memory. */
export function* generatePosts(seed, count, now, { sources = 24, spanMs = 90 * DAY, bodyBytes = 4096 } = {}) {
  const r = new Random((seed * 131 + 17) >>> 0);
  const feeds = [];
  for (let n = 1; n <= sources; n++) feeds.push(describeFeed(seed, n));
  for (let i = 0; i < count; i++) {
    const feed = feeds[r.int(0, feeds.length - 1)];
    const publishedMs = now - Math.floor(((i + r.next()) * spanMs) / count);
    const id = r.hex(16);
    const day = new Date(publishedMs).toISOString().slice(0, 10);
    const link = `https://${feed.domain}/${day.replaceAll('-', '/')}/${id}.html`;
    const heading = title(r);
    const author = person(r);
    const html = articleHtml(r, feed, bodyBytes, true);
    const lead = /<img src="([^"]+)"/.exec(html)[1];
    const date = new Date(Math.floor(publishedMs / 1000) * 1000);
    const text = renderPost(
      {
        title: heading,
        categories: feed.categories,
        headimg: lead,
        author,
        comments: false,
        date,
        thumbnail: lead,
        updated: date,
        original_url: link,
        newsstand_id: id,
      },
      html,
    );
    yield { name: `${day}-${id}.md`, text };
  }
}
