def test_home_page_welcomes_a_guest_in_ukrainian(client, make_user):
    make_user()
    page = client.get("/").get_data(as_text=True)
    assert "Знайомтеся з людьми" in page
    assert 'id="stat-members">1<' in page
