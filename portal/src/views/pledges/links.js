// A notice's link /pledges?status=overdue (the weekly overdue list, a reminder) opens the ledger filtered to
// overdue pledges for a secretary, and my pledges filtered the same way for a member. A route guard: it runs
// after the session is loaded, so the roles are known even when an e-mail's link opens a fresh tab.
import { useSession } from "@/stores/session";
import { pledgesLinkTarget } from "./pledge-logic";

export const pledgesLink = (to) => pledgesLinkTarget(to.query, useSession().roles);
