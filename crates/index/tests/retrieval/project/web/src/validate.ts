// Form validation.

export type Errors = Record<string, string>;

/** Checks a sign-up form: required fields, password length and matching confirmation. */
export function validateSignupForm(form: { name: string; password: string; confirm: string }): Errors {
  const errors: Errors = {};
  if (!form.name.trim()) errors.name = "Name is required";
  if (form.password.length < 12) errors.password = "Use at least 12 characters";
  if (form.password !== form.confirm) errors.confirm = "Passwords do not match";
  return errors;
}

/** A strength score from 0 to 4 from length and character variety. */
export function passwordStrength(password: string): number {
  let score = 0;
  if (password.length >= 12) score++;
  if (/[A-Z]/.test(password) && /[a-z]/.test(password)) score++;
  if (/\d/.test(password)) score++;
  if (/[^A-Za-z0-9]/.test(password)) score++;
  return score;
}
