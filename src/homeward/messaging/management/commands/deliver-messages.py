from django.core.management.base import BaseCommand

from homeward.messaging.services import requeue_overdue


class Command(BaseCommand):
    help = (
        "Queue again the messages whose delivery was interrupted (a process stopped between "
        "a change and its message's delivery task); safe to run at any time, e.g. from cron."
    )

    def handle(self, *args, **options):
        count = requeue_overdue()
        self.stdout.write(f"{count} message(s) queued again for delivery")
