from django_tasks import TaskContext, task

from homeward.jobs import services


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> None:
    services.run(job_id, task_id=str(context.task_result.id))
