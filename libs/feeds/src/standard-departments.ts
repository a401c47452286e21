/**
 * The departments of a Chinese city government that pour data into its operations centre
 * (Guangzhou's list; other Chinese cities have nearly the same ones). Catalogue reference data,
 * not demo data: a feed names its department, so the catalogue needs them before the first feed
 * is registered, with or without the demo. `cli.js prepare` loads them (again on every run, with
 * these names); a deployment adds its own beside them.
 */
export const STANDARD_DEPARTMENTS: readonly { code: string; name: string; nameEn: string }[] = [
  { code: 'public-security', name: '公安', nameEn: 'Public Security' },
  { code: 'transport', name: '交通运输', nameEn: 'Transport' },
  { code: 'ecology-environment', name: '生态环境', nameEn: 'Ecology and Environment' },
  { code: 'water', name: '水务', nameEn: 'Water Affairs' },
  { code: 'urban-management', name: '城市管理和综合执法', nameEn: 'Urban Management' },
  { code: 'emergency', name: '应急管理', nameEn: 'Emergency Management' },
  { code: 'health', name: '卫生健康', nameEn: 'Health' },
  { code: 'housing', name: '住房和城乡建设', nameEn: 'Housing and Urban-Rural Development' },
  { code: 'meteorology', name: '气象', nameEn: 'Meteorology' },
  { code: 'market-regulation', name: '市场监督管理', nameEn: 'Market Regulation' },
  { code: 'education', name: '教育', nameEn: 'Education' },
  { code: 'planning', name: '规划和自然资源', nameEn: 'Planning and Natural Resources' },
  { code: 'civil-affairs', name: '民政', nameEn: 'Civil Affairs' },
  { code: 'human-resources', name: '人力资源和社会保障', nameEn: 'Human Resources and Social Security' },
  { code: 'culture-tourism', name: '文化广电旅游', nameEn: 'Culture, Radio, TV and Tourism' },
  { code: 'sports', name: '体育', nameEn: 'Sports' },
  { code: 'commerce', name: '商务', nameEn: 'Commerce' },
  { code: 'industry-it', name: '工业和信息化', nameEn: 'Industry and Information Technology' },
  { code: 'agriculture', name: '农业农村', nameEn: 'Agriculture and Rural Affairs' },
  { code: 'forestry-gardens', name: '林业和园林', nameEn: 'Forestry and Gardens' },
  { code: 'fire-rescue', name: '消防救援', nameEn: 'Fire and Rescue' },
  { code: 'government-data', name: '政务服务数据管理', nameEn: 'Government Services and Data Management' },
  { code: 'metro', name: '地铁集团', nameEn: 'Metro' },
  { code: 'power-supply', name: '供电局', nameEn: 'Power Supply' },
];
