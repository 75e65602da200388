from bench.pages import api_urls


def test_the_pages_searches_become_api_requests():
    assert api_urls(
        [
            "/en/projects/?q=open&sort=newest&area=health&area=science",
            "/en/organisations/",
            "/en/organisations/?page=2&sort=name",
            "/en/organisations/?sort=name&page=2",
        ]
    ) == [
        "/api/v1/projects/?search=open&ordering=-published&area=health&area=science",
        "/api/v1/organisations/",
        "/api/v1/organisations/?page=2&ordering=name",
        "/api/v1/organisations/?ordering=name&page=2",
    ]
