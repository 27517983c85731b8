import { http } from "./client";

export const auth = {
  login: (username, password) => http.post("/api/auth/login", { username, password }),
  logout: () => http.post("/api/auth/logout"),
  me: () => http.get("/api/auth/me"),
  updateMe: (body) => http.patch("/api/auth/me", body),
};
