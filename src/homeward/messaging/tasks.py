from django_tasks import task

from homeward.messaging import services


@task()
def deliver_message(message_id: int, attempt: int) -> None:
    services.deliver(message_id, attempt)
