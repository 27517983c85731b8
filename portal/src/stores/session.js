// Who is logged in: the session's tokens live in the API client; here is the person (/api/auth/me) and roles.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { auth } from "@/api/auth";
import { clearSession, hasSession, saveSession, scheduleRefresh } from "@/api/client";

export const ROLES = ["member", "branch_secretary", "general_branch_secretary", "org_department", "ops_admin"];

export const useSession = defineStore("session", () => {
  const me = ref(null);
  const active = ref(hasSession());
  const roles = computed(() => new Set(((me.value && me.value.roles) || []).map((r) => r.role)));
  const loggedIn = computed(() => active.value);

  async function load() {
    me.value = await auth.me();
    scheduleRefresh();
    return me.value;
  }

  async function login(username, password) {
    saveSession(await auth.login(username, password));
    active.value = true;
    return load();
  }

  async function logout() {
    try {
      await auth.logout();
    } catch {
      // the session ends here either way
    }
    ended();
  }

  /** The session ended (logged out, or expired and could not be renewed). */
  function ended() {
    clearSession();
    active.value = false;
    me.value = null;
  }

  const has = (...wanted) => wanted.some((role) => roles.value.has(role));

  return { me, roles, loggedIn, load, login, logout, ended, has };
});
