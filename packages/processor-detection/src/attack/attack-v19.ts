/**
 * MITRE ATT&CK Enterprise, version 19: the tactics, and the techniques that identity-provider
 * detections use. Versioned data: a rule naming an id missing here fails `oktel rules lint`, so
 * adding a technique means adding it here (with its v19 name) first.
 * v19 changes that matter here: TA0005 is "Stealth" and TA0112 "Defense Impairment" (formerly
 * Defense Evasion); T1562 moved to T1685 and T1656 to T1684.001 (not listed until a rule needs them).
 */
export const ATTACK_VERSION = '19';

export const TACTICS: Readonly<Record<string, { name: string; shortname: string }>> = {
  TA0043: { name: 'Reconnaissance', shortname: 'reconnaissance' },
  TA0042: { name: 'Resource Development', shortname: 'resource-development' },
  TA0001: { name: 'Initial Access', shortname: 'initial-access' },
  TA0002: { name: 'Execution', shortname: 'execution' },
  TA0003: { name: 'Persistence', shortname: 'persistence' },
  TA0004: { name: 'Privilege Escalation', shortname: 'privilege-escalation' },
  TA0005: { name: 'Stealth', shortname: 'stealth' },
  TA0112: { name: 'Defense Impairment', shortname: 'defense-impairment' },
  TA0006: { name: 'Credential Access', shortname: 'credential-access' },
  TA0007: { name: 'Discovery', shortname: 'discovery' },
  TA0008: { name: 'Lateral Movement', shortname: 'lateral-movement' },
  TA0009: { name: 'Collection', shortname: 'collection' },
  TA0011: { name: 'Command and Control', shortname: 'command-and-control' },
  TA0010: { name: 'Exfiltration', shortname: 'exfiltration' },
  TA0040: { name: 'Impact', shortname: 'impact' },
};

export const TECHNIQUES: Readonly<Record<string, string>> = {
  T1078: 'Valid Accounts',
  'T1078.001': 'Default Accounts',
  'T1078.004': 'Cloud Accounts',
  T1087: 'Account Discovery',
  'T1087.004': 'Cloud Account',
  T1090: 'Proxy',
  'T1090.003': 'Multi-hop Proxy',
  T1098: 'Account Manipulation',
  'T1098.001': 'Additional Cloud Credentials',
  'T1098.003': 'Additional Cloud Roles',
  'T1098.005': 'Device Registration',
  T1110: 'Brute Force',
  'T1110.001': 'Password Guessing',
  'T1110.003': 'Password Spraying',
  'T1110.004': 'Credential Stuffing',
  T1136: 'Create Account',
  'T1136.003': 'Cloud Account',
  T1199: 'Trusted Relationship',
  T1484: 'Domain or Tenant Policy Modification',
  'T1484.002': 'Trust Modification',
  T1528: 'Steal Application Access Token',
  T1531: 'Account Access Removal',
  T1539: 'Steal Web Session Cookie',
  T1550: 'Use Alternate Authentication Material',
  'T1550.001': 'Application Access Token',
  'T1550.004': 'Web Session Cookie',
  T1556: 'Modify Authentication Process',
  'T1556.006': 'Multi-Factor Authentication',
  'T1556.007': 'Hybrid Identity',
  T1566: 'Phishing',
  'T1566.002': 'Spearphishing Link',
  T1621: 'Multi-Factor Authentication Request Generation',
  T1649: 'Steal or Forge Authentication Certificates',
  T1069: 'Permission Groups Discovery',
  'T1069.003': 'Cloud Groups',
  T1526: 'Cloud Service Discovery',
  T1530: 'Data from Cloud Storage',
  T1537: 'Transfer Data to Cloud Account',
  T1213: 'Data from Information Repositories',
};
