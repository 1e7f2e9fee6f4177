import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/api/client';
import { listQuery, type IntakeService } from '../src/api/cases';
import { translate, type MessageKey } from '../src/i18n';
import { sendCommand } from '../src/lib/command';
import { matchRoute } from '../src/router';
import { dueText } from '../src/pages/cases/parts';
import {
  buildMoveBody,
  buildRegistrationBody,
  byDeadline,
  caseErrorKey,
  checkForm,
  checkMove,
  dueMark,
  emptyForm,
  emptyMoveInput,
  extraLine,
  fieldId,
  firstErrorField,
  formatDate,
  formatMoney,
  moveErrorField,
  normalizePhone,
  orderedMoves,
  serverFieldErrors,
  serviceFromIntake,
  shouldReload,
  splitSearch,
  type RegistrationForm,
} from '../src/pages/cases/state';
import { registrableTicket, registrationHref, shortcutOf } from '../src/pages/desk/state';
import type { AdministratorInfo, StaffTicket } from '../src/api/types';

const t = (key: MessageKey, params?: Record<string, string | number>) => translate('uk', key, params);

const passport: IntakeService = {
  service_id: 12,
  service_version_id: 40,
  title_uk: 'Оформлення паспорта',
  provider_id: 5,
  provider_name: 'ДМС',
  fee_kopiykas: 34_500,
  term: { days: 10, unit: 'working_days' },
  due_on: '2026-12-17',
  documents: [{ name: 'Заява' }, { name: 'Свідоцтво про народження', note: 'оригінал' }],
};

function filled(): RegistrationForm {
  return {
    ...emptyForm(),
    name: '  Шевченко   Тарас  Григорович ',
    phone: '067 123 45 67',
    email: ' taras@example.org ',
    consent: ['sms', 'email'],
    services: [serviceFromIntake(passport)],
  };
}

describe('the registration body', () => {
  it('pre-fills the inventory from the card: every document an original on paper, received', () => {
    const s = serviceFromIntake(passport);
    expect(s.inventory).toEqual([
      { name: 'Заява', from_card: true, form: 'original', medium: 'paper', pages: 1, received: true, missing_reason: '' },
      { name: 'Свідоцтво про народження', from_card: true, form: 'original', medium: 'paper', pages: 1, received: true, missing_reason: '' },
    ]);
    expect(s.fee_paid).toBe(false); // a paid service is not marked paid by itself
    expect(serviceFromIntake({ ...passport, fee_kopiykas: 0 }).fee_paid).toBe(true);
  });

  it('sends what the contract names, trimmed, the phone as +380…, the ticket', () => {
    const body = buildRegistrationBody(filled(), 55);
    expect(body).toEqual({
      ticket_id: 55,
      channel: 'in_person',
      life_situation_id: null,
      applicant: {
        kind: 'person',
        name: 'Шевченко Тарас Григорович',
        tax_id: '',
        address: '',
        phone: '+380671234567',
        email: 'taras@example.org',
        representative_name: '',
        representative_document: '',
        consent: ['sms', 'email'],
      },
      services: [{ service_id: 12, fee_paid: false, inventory: serviceFromIntake(passport).inventory }],
    });
  });

  it('drops a consent whose address is missing, a blank extra line, the reason of a received document, the representative when unticked', () => {
    const f = filled();
    f.email = '';
    f.represented = false;
    f.representative_name = 'Хтось';
    f.services[0]!.inventory[0]!.missing_reason = 'left over';
    f.services[0]!.inventory[1] = { ...f.services[0]!.inventory[1]!, received: false, missing_reason: ' буде пізніше ' };
    f.services[0]!.inventory.push(extraLine(), { ...extraLine(), name: ' Довідка ', pages: 2.7 });
    const body = buildRegistrationBody(f, null);
    expect(body.ticket_id).toBeNull();
    expect(body.applicant.consent).toEqual(['sms']);
    expect(body.applicant.representative_name).toBe('');
    const inv = body.services[0]!.inventory;
    expect(inv.map((l) => l.name)).toEqual(['Заява', 'Свідоцтво про народження', 'Довідка']);
    expect(inv[0]!.missing_reason).toBe('');
    expect(inv[1]!.missing_reason).toBe('буде пізніше');
    expect(inv[2]).toMatchObject({ from_card: false, form: 'copy', pages: 2 });
  });

  it('reads the usual spellings of a Ukrainian phone', () => {
    expect(normalizePhone('067 123 45 67')).toBe('+380671234567');
    expect(normalizePhone('(067) 123-45-67')).toBe('+380671234567');
    expect(normalizePhone('380671234567')).toBe('+380671234567');
    expect(normalizePhone('+380671234567')).toBe('+380671234567');
    expect(normalizePhone('12345')).toBe('12345');
    expect(normalizePhone('  ')).toBe('');
  });

  it('tells before sending what is missing: a service, the name, a card document not received without a reason', () => {
    expect(Object.keys(checkForm(emptyForm(), t)).sort()).toEqual(['applicant.name', 'services']);
    const f = filled();
    expect(checkForm(f, t)).toEqual({});
    f.services[0]!.inventory[1]!.received = false;
    f.phone = '12345';
    f.consent = ['email'];
    f.email = '';
    const errors = checkForm(f, t);
    expect(errors).toEqual({
      'applicant.phone': 'Телефон має бути у форматі +380XXXXXXXXX.',
      'applicant.email': 'Для згоди на повідомлення поштою потрібна адреса.',
      'services[0].inventory[1].missing_reason': 'Документ не подано: вкажіть причину.',
    });
    expect(firstErrorField(errors)).toBe('applicant.email');
    expect(firstErrorField({ 'services[0].inventory[1].missing_reason': 'x', services: 'y' })).toBe('services');
  });
});

describe("the server's field errors", () => {
  it('go to their fields by details.fields, in the words of the code', () => {
    const e = new ApiError(400, 'missing_reason_required', 'missing reason', {
      fields: [{ field: 'services[0].inventory[2].missing_reason', message: 'required when not received' }],
    });
    expect(serverFieldErrors(e, t)).toEqual({
      fields: { 'services[0].inventory[2].missing_reason': 'Документ не подано: вкажіть причину.' },
      message: 'cases.error.see_fields',
    });
  });

  it('read details.problems as the server writes them (common/json.cpp), and a lone details.field', () => {
    const e = new ApiError(400, 'missing_reason_required', 'x', {
      problems: [{ field: 'services[0].inventory[1].missing_reason', problem: 'required when not received' }],
      field: 'services[0].inventory[1].missing_reason',
    });
    expect(serverFieldErrors(e, t).fields).toEqual({ 'services[0].inventory[1].missing_reason': 'Документ не подано: вкажіть причину.' });
    const consent = new ApiError(400, 'invalid_field', 'x', { problems: [{ field: 'applicant.consent', problem: 'sms needs a phone' }] });
    expect(serverFieldErrors(consent, t).fields).toEqual({ 'applicant.consent': 'sms needs a phone' });
    const lone = new ApiError(400, 'unknown_service', 'x', { field: 'services[0].service_id' });
    expect(serverFieldErrors(lone, t).fields).toEqual({ 'services[0].service_id': 'Такої послуги немає в каталозі.' });
  });

  it("keep the server's message for a code the page does not know", () => {
    const e = new ApiError(400, 'invalid_field', 'bad', { fields: [{ field: 'applicant.tax_id', message: 'must be 10 digits' }, { nope: 1 }] });
    expect(serverFieldErrors(e, t).fields).toEqual({ 'applicant.tax_id': 'must be 10 digits' });
  });

  it('put invalid_phone at the phone even without details; a code with no field is the form message', () => {
    expect(serverFieldErrors(new ApiError(400, 'invalid_phone', 'x'), t).fields).toEqual({ 'applicant.phone': t('cases.error.invalid_phone') });
    expect(serverFieldErrors(new ApiError(404, 'ticket_not_found', 'x'), t)).toEqual({ fields: {}, message: 'cases.error.ticket_not_found' });
    expect(serverFieldErrors(new NetworkError(), t)).toEqual({ fields: {}, message: 'common.offline' });
  });

  it('name each field by an element id', () => {
    expect(fieldId('services[0].inventory[2].missing_reason')).toBe('f-services-0-inventory-2-missing_reason');
    expect(fieldId('applicant.phone')).toBe('f-applicant-phone');
  });
});

describe('a retried registration', () => {
  it('is sent again with the same Idempotency-Key after a lost connection', async () => {
    const keys: string[] = [];
    let n = 0;
    const r = await sendCommand(
      async (key) => {
        keys.push(key);
        if (++n < 3) throw new NetworkError();
        return 'ok';
      },
      { newKey: () => 'key-1', sleep: async () => undefined },
    );
    expect(r).toBe('ok');
    expect(keys).toEqual(['key-1', 'key-1', 'key-1']);
  });
});

describe('due marks', () => {
  const c = (due_state: 'on_track' | 'due_soon' | 'overdue' | 'done', days_overdue = 0, working_days_left = 0) => ({ due_state, days_overdue, working_days_left });
  it('say in words how the deadline stands', () => {
    expect(dueMark(c('overdue', 3))).toEqual({ kind: 'overdue', days: 3 });
    expect(dueText(t, c('overdue', 3))).toBe('прострочено на 3 дні');
    expect(dueText(t, c('overdue', 5))).toBe('прострочено на 5 днів');
    expect(dueText(t, c('due_soon', 0, 1))).toBe('спливає: лишився 1 робочий день');
    expect(dueText(t, c('due_soon', 0, 0))).toBe('спливає сьогодні');
    expect(dueText(t, c('on_track', 0, 9))).toBe('лишилося 9 робочих днів');
    expect(dueText(t, c('done'))).toBe('розгляд завершено');
  });

  it('sort the work list by deadline, the overdue first on the same date', () => {
    const rows = [
      { number: 'n-3', due_on: '2026-12-20', due_state: 'on_track' as const },
      { number: 'n-2', due_on: '2026-12-10', due_state: 'due_soon' as const },
      { number: 'n-1', due_on: '2026-12-10', due_state: 'overdue' as const },
      { number: 'n-4', due_on: '', due_state: 'on_track' as const },
    ];
    expect(byDeadline(rows).map((r) => r.number)).toEqual(['n-1', 'n-2', 'n-3', 'n-4']);
  });

  it('format dates and money the Ukrainian way', () => {
    expect(formatDate('2026-12-17')).toBe('17.12.2026');
    expect(formatMoney(34_500)).toBe('345,00 грн');
    expect(formatMoney(123_456_7)).toBe('12 345,67 грн');
  });
});

describe('moves', () => {
  it('are offered in the order of the usual way, only those allowed', () => {
    expect(orderedMoves(['withdraw', 'accept', 'return_unreviewed'])).toEqual(['accept', 'return_unreviewed', 'withdraw']);
    expect(orderedMoves(undefined)).toEqual([]);
  });

  it('ask for the fields each needs', () => {
    const empty = emptyMoveInput();
    expect(checkMove('accept', empty, '2026-12-17')).toEqual({});
    expect(checkMove('suspend', empty, '')).toEqual({ needed_documents: 'cases.error.required' });
    expect(checkMove('extend', empty, '2026-12-17')).toEqual({ legal_basis: 'cases.error.legal_basis_required', new_deadline: 'cases.error.new_deadline_required' });
    expect(checkMove('extend', { ...empty, legal_basis: 'ст. 10', new_deadline: '2026-12-17' }, '2026-12-17')).toEqual({
      new_deadline: 'cases.error.new_deadline_not_later',
    });
    expect(checkMove('refuse', empty, '')).toEqual({ legal_basis: 'cases.error.legal_basis_required', refusal_ground: 'cases.error.required' });
    expect(checkMove('issue', empty, '')).toEqual({ identity_checked: 'cases.error.identity_not_checked' });
    expect(checkMove('issue', { ...empty, issue_method: 'post' }, '')).toEqual({});
    expect(checkMove('withdraw', empty, '')).toEqual({ reason: 'cases.error.required' });
  });

  it('send only the fields of the move, with the version read', () => {
    const input = { ...emptyMoveInput(), reason: ' r ', legal_basis: ' ст. 5 ', new_deadline: '2027-01-10', needed_documents: ' Довідка ', refusal_ground: 'incomplete_documents', identity_checked: true };
    expect(buildMoveBody('accept', 4, input)).toEqual({ move: 'accept', version: 4 });
    expect(buildMoveBody('suspend', 4, input)).toEqual({ move: 'suspend', version: 4, needed_documents: 'Довідка', reason: 'Довідка' });
    expect(buildMoveBody('extend', 5, input)).toEqual({ move: 'extend', version: 5, reason: 'r', legal_basis: 'ст. 5', new_deadline: '2027-01-10' });
    expect(buildMoveBody('refuse', 6, input)).toEqual({ move: 'refuse', version: 6, reason: 'r', legal_basis: 'ст. 5', refusal_ground: 'incomplete_documents' });
    expect(buildMoveBody('issue', 7, input)).toEqual({ move: 'issue', version: 7, issue_method: 'in_person', identity_checked: true });
    expect(buildMoveBody('issue', 7, { ...input, issue_method: 'post' })).toEqual({ move: 'issue', version: 7, issue_method: 'post', identity_checked: false });
  });

  it('reload the case on 409 move_not_allowed and version_conflict, and put a 400 at its field', () => {
    expect(shouldReload(new ApiError(409, 'version_conflict', ''))).toBe(true);
    expect(shouldReload(new ApiError(409, 'move_not_allowed', ''))).toBe(true);
    expect(shouldReload(new ApiError(400, 'legal_basis_required', ''))).toBe(false);
    expect(moveErrorField(new ApiError(400, 'new_deadline_not_later', ''))).toBe('new_deadline');
    expect(moveErrorField(new ApiError(400, 'identity_not_checked', ''))).toBe('identity_checked');
    expect(caseErrorKey(new ApiError(403, 'not_your_provider', ''))).toBe('cases.error.not_your_provider');
    expect(caseErrorKey(new ApiError(404, 'not_found', ''))).toBe('cases.error.not_found');
  });
});

describe('the register and the routes', () => {
  it('search by a phone or by a number with one box', () => {
    expect(splitSearch(' 067 123 45 67 ')).toEqual({ phone: '+380671234567' });
    expect(splitSearch('cnap-kr-2026-000123')).toEqual({ number: 'cnap-kr-2026-000123' });
    expect(splitSearch('')).toEqual({});
    expect(listQuery({ phone: '+380671234567', status: 'in_review', provider_id: 5, due: 'overdue', limit: 50 })).toBe(
      '?phone=%2B380671234567&status=in_review&provider_id=5&due=overdue&limit=50',
    );
    expect(listQuery({ provider_id: null, due: '' })).toBe('');
  });

  it('map the pages of cases', () => {
    expect(matchRoute('/cases', '?center=1')).toEqual({ page: 'cases', center: 1 });
    expect(matchRoute('/cases/new', '?center=1&ticket=55')).toEqual({ page: 'case_new', center: 1, ticket: 55 });
    expect(matchRoute('/cases/new', '?center=1')).toEqual({ page: 'case_new', center: 1, ticket: null });
    expect(matchRoute('/cases/0190abcd-ef', '?center=2')).toEqual({ page: 'case', center: 2, id: '0190abcd-ef' });
    expect(matchRoute('/cases/0190abcd/print', '?center=2')).toEqual({ page: 'case_print', center: 2, id: '0190abcd' });
    expect(matchRoute('/work', '?center=3')).toEqual({ page: 'work', center: 3 });
    expect(matchRoute('/c/ABCD1234', '')).toEqual({ page: 'case_track', token: 'ABCD1234' });
    expect(matchRoute('/c/', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/cases/a/b', '')).toEqual({ page: 'not_found' });
  });
});

describe("the desk's registration button", () => {
  const ticket = (state: StaffTicket['state']) => ({ id: 55, state }) as StaffTicket;
  const admin = (over: Partial<AdministratorInfo>) => ({ status: 'available', ticket: null, ...over }) as AdministratorInfo;
  it('opens the registration for the ticket called or served, by A on any layout', () => {
    expect(registrableTicket(admin({ ticket: ticket('serving') }))).toBe(55);
    expect(registrableTicket(admin({ ticket: ticket('called') }))).toBe(55);
    expect(registrableTicket(admin({}))).toBeNull();
    expect(registrableTicket(null)).toBeNull();
    expect(registrationHref(1, 55)).toBe('/cases/new?center=1&ticket=55');
    expect(registrationHref(1, null)).toBe('/cases/new?center=1');
    expect(shortcutOf({ code: 'KeyA', key: 'ф', target: 'other' })).toBe('register');
    expect(shortcutOf({ code: 'KeyA', key: 'a', target: 'field' })).toBeNull();
  });
});
