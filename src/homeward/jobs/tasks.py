from django_tasks import task

from homeward.jobs import services


@task()
def run_job(job_id: int) -> None:
    services.run(job_id)
