import pytest

from tests.support.services import OrgFixture, start_service


@pytest.fixture
def pledge_service(fresh_database, make_settings):
    service = start_service("pledge", fresh_database("pledge"), make_settings)
    yield service
    service.engine.dispose()


@pytest.fixture
def org(pledge_service):
    return OrgFixture(pledge_service)
