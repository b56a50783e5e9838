import pytest

from tests.messaging.backends import FAILING, RECORDING, FailingBackend, RecordingBackend


@pytest.fixture
def recorder(settings):
    """Messages go to a backend that records them (emptied for each test)."""
    settings.HOMEWARD_MESSAGE_BACKEND = RECORDING
    RecordingBackend.sent = []
    return RecordingBackend.sent


@pytest.fixture
def failing_gateway(settings):
    settings.HOMEWARD_MESSAGE_BACKEND = FAILING
    FailingBackend.calls = 0
    return FailingBackend


@pytest.fixture
def queue_held(settings):
    """Delivery tasks are kept, not run, so a test can run each attempt itself."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"].results
