/**
 * The topic rules of the shipped Mosquitto ACL (flows/broker/acl), for the embedded Aedes
 * broker. tests/security/embedded-broker.test.ts reads the ACL file and checks this table still
 * says the same. Anything not granted is denied.
 */

export const ARCHIVE_USER = "county-archive";
/** The county's admin identity (fleet manager); the embedded broker issues it no password yet. */
export const ADMIN_USER = "county-admin";

type Access = "read" | "write";
/** `user` rules apply to that user; `pattern` rules to every user, with %u replaced by the username. */
export const ACL: {
  user: Record<string, ReadonlyArray<readonly [Access, string]>>;
  pattern: ReadonlyArray<readonly [Access, string]>;
} = {
  user: {
    [ARCHIVE_USER]: [
      ["read", "hs/v1/+/+/record"],
      ["write", "hs/v1/+/+/ack"],
      ["read", "hs/v1/+/+/status"],
      ["read", "hs/v1/+/+/audit"],
      ["read", "hs/v1/+/+/outcome"],
    ],
    [ADMIN_USER]: [
      ["read", "hs/v1/+/+/status"],
      ["read", "hs/v1/+/+/health"],
      ["read", "hs/v1/+/+/alarms"],
      ["read", "hs/v1/+/+/answer"],
      ["write", "hs/v1/+/+/config"],
      ["write", "hs/v1/+/+/pack/+"],
      ["write", "hs/v1/+/+/cmd"],
    ],
  },
  pattern: [
    ["write", "hs/v1/+/%u/record"],
    ["write", "hs/v1/+/%u/status"],
    ["write", "hs/v1/+/%u/health"],
    ["write", "hs/v1/+/%u/alarms"],
    ["write", "hs/v1/+/%u/answer"],
    ["write", "hs/v1/+/%u/audit"],
    ["write", "hs/v1/+/%u/outcome"],
    ["read", "hs/v1/+/%u/ack"],
    ["read", "hs/v1/+/%u/config"],
    ["read", "hs/v1/+/%u/pack/+"],
    ["read", "hs/v1/+/%u/cmd"],
  ],
};

/** Whether a concrete topic (no wildcards) matches an ACL topic filter. */
function topicMatches(filter: string[], topic: string[]): boolean {
  for (let i = 0; i < filter.length; i++) {
    if (filter[i] === "#") return true;
    if (i >= topic.length) return false;
    if (filter[i] !== "+" && filter[i] !== topic[i]) return false;
  }
  return filter.length === topic.length;
}

/** Whether every topic a subscription filter can match is covered by an ACL filter (as Mosquitto checks it). */
function filterCovered(acl: string[], sub: string[]): boolean {
  for (let i = 0; i < acl.length; i++) {
    if (acl[i] === "#") return true;
    if (i >= sub.length || sub[i] === "#") return false;
    if (acl[i] === "+") continue;
    if (sub[i] !== acl[i]) return false; // a "+" in the subscription is wider than a literal here
  }
  return acl.length === sub.length;
}

function rulesFor(user: string, access: Access): string[][] {
  // Station ids are [a-z0-9-]: a username holding a wildcard or "/" never reaches here (see allowed()).
  const own = (ACL.user[user] ?? []).filter(([a]) => a === access).map(([, t]) => t);
  const pat = ACL.pattern.filter(([a]) => a === access).map(([, t]) => t.replaceAll("%u", user));
  return [...own, ...pat].map((t) => t.split("/"));
}

const SAFE_USER = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** May `user` publish to `topic` ("write") or subscribe with filter `topic` ("read")? */
export function allowed(user: string | null, access: Access, topic: string): boolean {
  if (user === null || !SAFE_USER.test(user)) return false;
  // A shared subscription is checked on the filter it shares.
  const t = access === "read" ? topic.replace(/^\$share\/[^/]+\//, "") : topic;
  if (access === "write" && /[+#]/.test(t)) return false;
  const parts = t.split("/");
  return rulesFor(user, access).some((rule) =>
    access === "write" ? topicMatches(rule, parts) : filterCovered(rule, parts),
  );
}
