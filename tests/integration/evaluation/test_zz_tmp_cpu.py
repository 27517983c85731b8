import time, uuid, os, sys
from pacesetter_shared.identity import Identity

def test_cpu(evaluation_service, org, fresh_database):
    s = evaluation_service
    device = Identity(subject=str(uuid.uuid4()), kind="kiosk", name="k", window_id=str(org.window), unit_id=str(org.branch))
    h = s.headers(device)
    sys.path.insert(0, "bench")
    os.environ["BENCH_FLOOR_DATABASE_URL"]=fresh_database("floor")
    import floor_app
    app=floor_app.create_app().test_client()
    for i in range(50):
        s.client.post("/api/ratings", json={"client_id": f"w{i}", "window_id": str(org.window), "level": 5}, headers=h)
        app.post("/rate", json={"client_id": f"w{i}", "window_id": str(org.window), "level": 5})
    n=400
    for rnd in range(3):
        t0=time.process_time(); w0=time.perf_counter()
        for i in range(n):
            r=s.client.post("/api/ratings", json={"client_id": f"c{rnd}-{i}", "window_id": str(org.window), "level": 5 - i%3}, headers=h)
            assert r.status_code==201
        t1=time.process_time(); w1=time.perf_counter()
        print(f"\nEVAL cpu ms/req {1000*(t1-t0)/n:.2f} wall {1000*(w1-w0)/n:.2f}")
        t0=time.process_time(); w0=time.perf_counter()
        for i in range(n):
            r=app.post("/rate", json={"client_id": f"c{rnd}-{i}", "window_id": str(org.window), "level": 5 - i%3})
            assert r.status_code==201
        t1=time.process_time(); w1=time.perf_counter()
        print(f"FLOOR cpu ms/req {1000*(t1-t0)/n:.2f} wall {1000*(w1-w0)/n:.2f}")
