"""The peer: GET /v1/orders/{order_id} as many teams would write it, FastAPI behind Mangum.

The same route as functions/get_order, reading the order with the layer's Repository
(one GetItem) and answering `{"data": ...}` with its ETag; only the web framework
differs. Its cold start prices Powertools' resolver and our HTTP glue against
FastAPI and Mangum. Needs the `bench` extra (fastapi, mangum).
"""

from __future__ import annotations

import json

from fastapi import FastAPI, HTTPException, Request, Response
from mangum import Mangum
from orders_api.domain.models import OrderEnvelope
from orders_api.store.orders import Repository

repository = Repository()
app = FastAPI(title="Orders API (peer)")


@app.get("/v1/orders/{order_id}", response_model=OrderEnvelope)
def get_order(order_id: str, request: Request) -> Response:
    authorizer = request.scope["aws.event"]["requestContext"].get("authorizer") or {}
    client_id = authorizer.get("client_id")
    if not client_id:
        raise HTTPException(status_code=403, detail="No client is bound to this request.")
    record = repository.get_order(str(client_id), order_id)
    if record is None:
        raise HTTPException(status_code=404, detail=f"Order {order_id!r} does not exist.")
    order = record.order
    body = json.dumps({"data": order.public()}, ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type="application/json", headers={"ETag": f'"{order.version}"'})


lambda_handler = Mangum(app, lifespan="off")
