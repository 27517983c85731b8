// 系统运维 (#21 gap 10): every service's scheduled jobs through the gateway (/api/ops/jobs, ops only).
import { http } from "./client";

export const ops = {
  /** → {items: [{name, service, every_seconds, last_run_at}], total, unavailable: [service]} */
  jobs: () => http.get("/api/ops/jobs"),
  /** → {job, ok, message, started_at}: ok false with the message when the job failed */
  run: (name) => http.post(`/api/ops/jobs/${encodeURIComponent(name)}/run`),
};
