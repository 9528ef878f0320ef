import { Type } from '@sinclair/typebox';

const email = Type.String({ format: 'email', maxLength: 254, 'x-message': 'validation.email', 'x-required': 'validation.requiredEmail' });
// Longer than the policy's 256 characters is let through to the policy check, up to a bound for the hash.
const password = Type.String({ minLength: 1, maxLength: 1024, 'x-raw': true, 'x-too-long': 'password.tooLong', 'x-required': 'validation.requiredPassword' });
const newPassword = Type.String({ minLength: 1, maxLength: 1024, 'x-raw': true, 'x-message': 'password.tooShort', 'x-too-long': 'password.tooLong', 'x-required': 'validation.requiredNewPassword' });

// Each form lists its properties in the order of its fields on the page: parseForm reports the
// errors in that order, so the error summary reads like the form.
export const SignInForm = Type.Object({ email, password, suite: Type.Optional(Type.String({ maxLength: 2000 })) });
export const ForgotForm = Type.Object({ email });
export const NewPasswordForm = Type.Object({ password: newPassword, password_confirm: password });
export const ChangePasswordForm = Type.Object({
  current_password: password,
  password: newPassword,
  password_confirm: password,
});
export const ChangeEmailForm = Type.Object({ email, current_password: password });
export const EraseOwnAccountForm = Type.Object({ current_password: password });
// Someone else's name and address: the messages say « de la personne », not « votre ».
/** The invited person, as the invitation forms ask for them (the accounts page, an organisation's page). */
export const InvitedPerson = {
  display_name: Type.String({ minLength: 1, maxLength: 120, 'x-message': 'invite.error.nameTooLong', 'x-required': 'invite.error.nameRequired' }),
  email: Type.String({ ...email, 'x-required': 'invite.error.emailRequired' }),
};
export const InviteForm = Type.Object({
  ...InvitedPerson,
  role: Type.Union([Type.Literal('member'), Type.Literal('staff'), Type.Literal('admin')], {
    'x-message': 'validation.choice',
    'x-required': 'invite.error.roleRequired',
  }),
});
export const RoleForm = Type.Object({
  role: Type.Union([Type.Literal('member'), Type.Literal('staff'), Type.Literal('admin')], {
    'x-message': 'validation.choice',
  }),
});
export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  role: Type.Optional(Type.Union([Type.Literal('member'), Type.Literal('staff'), Type.Literal('admin')])),
  status: Type.Optional(Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')])),
  page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
});
