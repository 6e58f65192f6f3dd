/**
 * The doctor's list screens as the console loads them (docs/doctor-lists.md): the due and
 * overdue list by status, its first pages, a search, the referral inbox and coverage. Each
 * request is one screen the doctor opens; a refusal or error fails the benchmark.
 */

export async function openScreens(url: string, cookie: string): Promise<number> {
  let screens = 0;
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${url}/api/doctor/lists/${path}`, { headers: { cookie } });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${text.slice(0, 300)}`);
    screens++;
    return JSON.parse(text);
  };
  for (const status of ["all", "overdue", "due"]) {
    const first = (await get(`due?status=${status}&page=1`)) as { pages: number };
    for (let page = 2; page <= Math.min(3, first.pages); page++)
      await get(`due?status=${status}&page=${page}`);
  }
  await get(`due?q=${encodeURIComponent("东村")}&page=1`);
  await get("inbox");
  await get("coverage");
  return screens;
}
