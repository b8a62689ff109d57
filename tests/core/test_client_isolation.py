def test_two_clients_keep_their_own_user(editor_client, viewer_client):
    assert editor_client.get("/parties/new").status_code == 200
    assert viewer_client.get("/parties/new").status_code == 403
    assert editor_client.get("/parties/new").status_code == 200
