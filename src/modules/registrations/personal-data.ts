import type { PersonalDataSource } from '../../kernel/module.js';
import { eraseRegistrationsByEmail, registrationsOfEmail } from './staff.js';

/** Event registrations made with a person's addresses; erased, the seats they held go to the waitlists. */
export const registrationsPersonalData: PersonalDataSource = {
  key: 'event_registrations',
  async export(kernel, emails) {
    return (await Promise.all(emails.map((email) => registrationsOfEmail(kernel, email)))).flat();
  },
  async erase(kernel, actor, emails) {
    let count = 0;
    for (const email of emails) count += await eraseRegistrationsByEmail(kernel, email, actor);
    return count;
  },
};
