"""notification-service: tells each person what an event means for them, into their inbox (消息通知)."""
