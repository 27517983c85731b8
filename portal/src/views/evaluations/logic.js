// What the evaluation pages work out in the browser: which part a person rates, when the masses' link is shown,
// the sum of the weights, the body of a rating and where a service's message about it belongs. Plain functions
// (the views and portal/tests/evaluations.test.js use them).

export const PARTIES = ["self", "peer", "masses", "leader"];
export const RATINGS = ["excellent", "good", "fair", "poor"];
export const MODES = ["concentrated", "individual", "random", "on_site"];
export const TARGET_KINDS = ["pledge", "member_year", "branch", "window"];
// Raters of these parties are anonymous: their part shows only once min_group of them rated.
export const ANONYMOUS = new Set(["peer", "masses"]);

/** The party I rate (or rated) as in a round: my rating's, else the first the service leaves open to me. */
export function myParty(round) {
  const mine = round && round.my_ratings && round.my_ratings[0];
  return mine ? mine.party : ((round && round.my_parties) || [])[0];
}

/** Whether I may rate in the round now: the service says which parts are open to me (my_parties). */
export const canRate = (round) => Boolean(round && round.state === "open" && (round.my_parties || []).length);

/** The party the form starts with: the preferred one when it is open to me (a leader's page: leader). */
export function startingParty(round, prefer) {
  const open = (round && round.my_parties) || [];
  return prefer && open.includes(prefer) ? prefer : open[0] || "";
}

/**
 * Those who take part pass the masses the round's link (a QR code, on paper, in a chat): shown while the round is
 * open and has a masses' part, to anyone but one of the masses.
 */
export function showsMassesLink(round) {
  return Boolean(round && round.state === "open" && (round.parties || []).some((p) => p.party === "masses")
    && myParty(round) !== "masses");
}

/** The address the masses open (what the QR code encodes): the portal's route of the round. */
export const massesLink = (origin, roundId) => `${String(origin).replace(/\/+$/, "")}/evaluations/${roundId}`;

const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** The round's id in a link given on paper or in a chat (…/evaluations/<id>), or null. */
export function roundIdFromLink(text) {
  const found = String(text || "").trim().match(UUID);
  return found ? found[1].toLowerCase() : null;
}

/** A weight as a number (an empty box counts 0). */
const number = (value) => {
  const n = Number(value);
  return value === "" || value === null || value === undefined || Number.isNaN(n) ? 0 : n;
};

/** The sum of the weights, to three places (0.1 + 0.2 is 0.3 here). */
export function weightSum(weights) {
  const total = Object.values(weights || {}).reduce((sum, w) => sum + number(w), 0);
  return Math.round(total * 1000) / 1000;
}

/** The weights may be saved: each 0–100 and together exactly 100, with at least one party taking part. */
export function weightsValid(weights) {
  const values = Object.values(weights || {});
  return values.length > 0 && values.every((w) => number(w) >= 0 && number(w) <= 100) && weightSum(weights) === 100;
}

/** A kind's weights from the scale (parties left out weigh 0): {self, peer, masses, leader}. */
export function weightsOf(kind) {
  const given = Object.fromEntries(((kind && kind.weights) || []).map((w) => [w.party, w.weight]));
  return Object.fromEntries(PARTIES.map((p) => [p, given[p] ?? 0]));
}

/** What goes to the service for a rating: a leader's mode, the self-assessment's report on each target. */
export function ratingBody(party, model, targets = []) {
  const body = { party, rating: model.rating, comment: (model.comment || "").trim() };
  if (party === "leader") body.mode = model.mode;
  if (party === "self" && targets.length) {
    body.target_reports = targets.map((target, i) => ({ target, done: String((model.reports || [])[i] || "").trim() }));
  }
  return body;
}

const texts = (value) => {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  return Object.values(value).flatMap(texts);
};

/**
 * A service's error details placed on the rating form's fields: {rating, mode, comment, party, "reports.<i>"}; what
 * no field shows goes to `general`. target_reports comes per index ({"0": {done: [...]}}) from the schema, or as one
 * message per target left unreported (naming the target) from the rules.
 */
export function ratingErrors(details, targets = []) {
  const fields = {};
  const general = [];
  const put = (key, messages) => {
    if (messages.length) fields[key] = [fields[key], ...messages].filter(Boolean).join("；");
  };
  for (const [name, value] of Object.entries(details || {})) {
    if (name === "target_reports") {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [index, inner] of Object.entries(value)) {
          if (/^\d+$/.test(index) && Number(index) < targets.length) put(`reports.${index}`, texts(inner));
          else general.push(...texts(inner));
        }
        continue;
      }
      for (const message of texts(value)) {
        const index = targets.findIndex((target) => target && message.includes(target));
        if (index >= 0) put(`reports.${index}`, [message]);
        else general.push(message);
      }
      continue;
    }
    if (["rating", "mode", "comment", "party"].includes(name)) put(name, texts(value));
    else general.push(...texts(value));
  }
  return { fields, general };
}

/** A deadline picked in Beijing time ("2026-12-31T17:00") as the service takes it (an aware ISO time). */
export function beijingDeadline(local) {
  if (!local) return null;
  const value = String(local).replace(" ", "T");
  return /T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : `${value}+08:00`;
}

/** The bulk form's first deadline: thirty days after `today` (YYYY-MM-DD, Beijing) at 17:00. */
export function defaultDeadline(today) {
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 30);
  return `${day.toISOString().slice(0, 10)}T17:00`;
}

/** How far each party of an open round has come: [{party, weight, submitted}] in the parties' order. */
export function progress(round) {
  const order = (p) => PARTIES.indexOf(p.party);
  return [...((round && round.parties) || [])].sort((a, b) => order(a) - order(b));
}

/** The result's rows: each party's weight, raters and score (null: too few raters to show it without exposing them). */
export function breakdownRows(round) {
  const order = (p) => PARTIES.indexOf(p.party);
  return [...((round && round.breakdown) || [])].sort((a, b) => order(a) - order(b));
}

/** A score as shown: one place, "—" when there is none. */
export const score = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(1));

// 代录: a paper sheet's number as the service takes it (letters, digits and hyphens, up to 40).
export const SHEET_NO = /^[A-Za-z0-9-]{1,40}$/;
// Named parties: a paper self-assessment or leader's comment says whose it is; a peer's or the masses' names no one.
export const NAMED = new Set(["self", "leader"]);

/** What goes to the service for a paper sheet: the rating's body, its number and, for a named party, whose it is. */
export function paperBody(model, targets = []) {
  const body = { ...ratingBody(model.party, model, targets), sheet_no: String(model.sheetNo || "").trim() };
  if (NAMED.has(model.party)) body.rater_id = model.raterId;
  return body;
}

/** The asked people a paper sheet of this party may name (self, leader): [{person_id, name}]. */
export const namedFor = (round, party) =>
  ((round && round.paper_entry && round.paper_entry.named) || []).filter((n) => n.party === party);

/** The parties left out of a closed round's result, by party: {masses: {reason, raters, deadline}}. */
export function leftOutByParty(round) {
  return Object.fromEntries(((round && round.left_out) || []).map((entry) => [entry.party, entry]));
}

/** A party's own deadline when it differs from the round's (an instant pledge's parties: five working days). */
export function ownDeadline(part, round) {
  if (!part || !part.deadline || !round || !round.deadline) return null;
  return new Date(part.deadline).getTime() !== new Date(round.deadline).getTime() ? part.deadline : null;
}
