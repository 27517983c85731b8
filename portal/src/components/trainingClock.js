// 培训模式: the training clock's offset (seconds, from the gateway's /healthz) in people's words: 调快 7 天 / 7 d ahead.
const PARTS = [["days", 86400], ["hours", 3600], ["minutes", 60]];

export function offsetText(t, seconds) {
  let rest = Math.abs(Number(seconds) || 0);
  const words = [];
  for (const [unit, size] of PARTS) {
    if (rest >= size) {
      words.push(t(`ops.training.${unit}`, { count: Math.floor(rest / size) }));
      rest %= size;
    }
  }
  const span = words.join(" ") || t("ops.training.minutes", { count: 0 });
  return seconds < 0 ? t("ops.training.behind", { span }) : t("ops.training.ahead", { span });
}
