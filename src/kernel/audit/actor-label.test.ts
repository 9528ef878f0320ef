import assert from 'node:assert/strict';
import { test } from 'node:test';
import { erasedEmailOf } from '../auth/erased.js';
import { translator } from '../i18n/index.js';
import { auditActorLabel } from './index.js';

test('who made an entry: the address, « Compte effacé » for an account erased since (never its placeholder address), « Système » for no one', () => {
  const fr = translator('fr');
  const id = '0190c3a2-7b1e-7c00-8000-00000000abcd';
  assert.equal(auditActorLabel({ actor_id: id, actor_email: 'awa@example.org' }, fr), 'awa@example.org');
  assert.equal(auditActorLabel({ actor_id: id, actor_email: erasedEmailOf(id) }, fr), 'Compte effacé');
  assert.equal(auditActorLabel({ actor_id: id, actor_email: erasedEmailOf(id) }, translator('en')), 'Erased account');
  assert.equal(auditActorLabel({ actor_id: null, actor_email: null }, fr), 'Système');
  // Another account's placeholder is not this one's: only the account's own erasure hides the address.
  assert.equal(auditActorLabel({ actor_id: id, actor_email: erasedEmailOf('autre') }, fr), erasedEmailOf('autre'));
});
