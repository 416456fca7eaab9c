"""The timed jobs (`manage.py periodic`, every 15 minutes): offers expire, reminders go out,
personal data past its retention period goes, the outbox is swept. Sits on top, since it
calls into offers, notifications, privacy and the outbox."""
