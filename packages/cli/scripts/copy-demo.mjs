// prepack: the tarball ships the demo config and its sample day of Okta events, taken from the
// repository's configs/ so there is one copy in git. `oktel run --config configs/demo.yaml`
// then works after `cp -r node_modules/@oktel/cli/configs .` in an empty directory.
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const from = new URL('../../../configs/', import.meta.url);
const to = new URL('../configs/', import.meta.url);
rmSync(to, { recursive: true, force: true });
mkdirSync(new URL('samples/', to), { recursive: true });
cpSync(new URL('demo.yaml', from), new URL('demo.yaml', to));
cpSync(new URL('samples/', from), new URL('samples/', to), { recursive: true });
