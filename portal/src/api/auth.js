import { http } from "./client";

export const auth = {
  login: (username, password) => http.post("/api/auth/login", { username, password }),
  logout: () => http.post("/api/auth/logout"),
  me: () => http.get("/api/auth/me"),
  updateMe: (body) => http.patch("/api/auth/me", body),
  // one's own password: the current one, then the new; the other sessions end, this one goes on
  changePassword: (current, next) => http.post("/api/auth/password", { current_password: current, new_password: next }),
};
