import type { Random } from './random.js';

export interface Place {
  city: string;
  state: string;
  country: string;
  postalCode: string;
  lat: number;
  lon: number;
  ipPrefix: string;
  asOrg: string;
}

export interface OrgUser {
  id: string;
  login: string;
  name: string;
  home: Place;
  ip: string;
  userAgent: string;
  os: string;
  browser: string;
  admin: boolean;
}

export interface OrgApp {
  id: string;
  name: string;
  label: string;
}

export interface Org {
  domain: string;
  users: OrgUser[];
  apps: OrgApp[];
}

export const OFFICES: readonly Place[] = [
  {
    city: 'Portland',
    state: 'Oregon',
    country: 'United States',
    postalCode: '97201',
    lat: 45.5152,
    lon: -122.6784,
    ipPrefix: '198.51.100.',
    asOrg: 'comcast cable communications',
  },
  {
    city: 'Austin',
    state: 'Texas',
    country: 'United States',
    postalCode: '78701',
    lat: 30.2672,
    lon: -97.7431,
    ipPrefix: '203.0.113.',
    asOrg: 'at&t services',
  },
  { city: 'Dublin', state: 'Leinster', country: 'Ireland', postalCode: 'D02', lat: 53.3498, lon: -6.2603, ipPrefix: '192.0.2.', asOrg: 'eir broadband' },
];

/** Where attackers come from in the injected scenarios: hosting and anonymizer ranges. */
export const HOSTILE_PLACES: readonly Place[] = [
  {
    city: 'Amsterdam',
    state: 'North Holland',
    country: 'Netherlands',
    postalCode: '1012',
    lat: 52.3676,
    lon: 4.9041,
    ipPrefix: '185.220.101.',
    asOrg: 'tor exit relay hosting',
  },
  {
    city: 'Sao Paulo',
    state: 'Sao Paulo',
    country: 'Brazil',
    postalCode: '01000',
    lat: -23.5505,
    lon: -46.6333,
    ipPrefix: '177.54.150.',
    asOrg: 'vps provider',
  },
  {
    city: 'Singapore',
    state: 'Central Singapore',
    country: 'Singapore',
    postalCode: '018989',
    lat: 1.2897,
    lon: 103.8501,
    ipPrefix: '45.83.64.',
    asOrg: 'bulletproof hosting ltd',
  },
];

const FIRST = [
  'Dana',
  'Sam',
  'Priya',
  'Luis',
  'Mei',
  'Jordan',
  'Aisha',
  'Tom',
  'Elena',
  'Kwame',
  'Hannah',
  'Ravi',
  'Noor',
  'Felix',
  'Grace',
  'Omar',
  'Lena',
  'Marco',
  'Yuki',
  'Ben',
];
const LAST = [
  'Whitfield',
  'Okafor',
  'Nguyen',
  'Garcia',
  'Chen',
  'Reyes',
  'Patel',
  'Murphy',
  'Kowalski',
  'Mensah',
  'Larsen',
  'Iyer',
  'Haddad',
  'Becker',
  'Osei',
  'Silva',
];
const AGENTS = [
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    os: 'Mac OS X',
    browser: 'SAFARI',
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    os: 'Windows 10',
    browser: 'CHROME',
  },
  { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', os: 'Linux', browser: 'FIREFOX' },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    os: 'Mac OS X',
    browser: 'CHROME',
  },
];
const APPS = ['Salesforce', 'Slack', 'GitHub Enterprise', 'Workday', 'Zoom', 'AWS IAM Identity Center', 'Google Workspace', 'Jira Cloud'];

export function createOrg(random: Random, options: { users?: number; domain?: string } = {}): Org {
  const count = options.users ?? 40;
  const users: OrgUser[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]!;
    const home = OFFICES[i % OFFICES.length]!;
    const agent = random.pick(AGENTS);
    users.push({
      id: random.id('00u', 17),
      login: `${first.toLowerCase()}.${last.toLowerCase()}${i >= FIRST.length ? i : ''}@example.com`,
      name: `${first} ${last}`,
      home,
      ip: `${home.ipPrefix}${10 + (i % 200)}`,
      userAgent: agent.ua,
      os: agent.os,
      browser: agent.browser,
      admin: i % 13 === 0,
    });
  }
  const apps = APPS.map((label) => ({ id: random.id('0oa', 17), name: label.toLowerCase().replace(/[^a-z0-9]+/g, '_'), label }));
  return { domain: options.domain ?? 'example.okta.com', users, apps };
}
