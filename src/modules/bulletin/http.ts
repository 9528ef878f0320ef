import type { Kernel } from '../../kernel/http/types.js';
import type { BulletinDeps } from './editor.js';

export function bulletinDeps(k: Kernel): BulletinDeps {
  return { db: k.db, dialect: k.dbHandle.dialect, clock: k.clock };
}
