"""Workspaces through the official Python Kubernetes client (Debian's
python3-kubernetes), as a data scientist's script would use it: list,
create, watch with resume from a resourceVersion, delete.

Usage: python3 workspaces.py <kubeconfig> <namespace>
Prints one JSON object with what it observed; exits non-zero (with a
traceback) when the client raises or an expectation fails.
"""
import json
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "kaito.sh", "v1beta1", "workspaces"


def workspace(name):
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "Workspace",
        "metadata": {"name": name, "labels": {"team": "data-science"}},
        "resource": {
            "instanceType": "Standard_NC24ads_A100_v4",
            "labelSelector": {"matchLabels": {"apps": name}},
        },
        "inference": {"preset": {"name": "phi-4-mini-instruct"}},
    }


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    api = client.CustomObjectsApi()
    core = client.CoreV1Api()
    out = {"client": client.ApiClient().user_agent}

    listed = api.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)
    out["initialItems"] = [i["metadata"]["name"] for i in listed["items"]]
    start_rv = listed["metadata"]["resourceVersion"]

    created = api.create_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, workspace("py-phi")
    )
    out["createdUid"] = created["metadata"]["uid"]

    # Watch from the list's resourceVersion: the creation, then the
    # controller's status updates, without missing the ADDED.
    first = watch.Watch()
    seen = []
    last_rv = None
    for event in first.stream(
        api.list_namespaced_custom_object,
        GROUP,
        VERSION,
        namespace,
        PLURAL,
        resource_version=start_rv,
        timeout_seconds=30,
    ):
        obj = event["object"]
        seen.append([event["type"], obj["metadata"]["name"]])
        last_rv = obj["metadata"]["resourceVersion"]
        conditions = (obj.get("status") or {}).get("conditions") or []
        if any(c["type"] == "ResourceReady" for c in conditions):
            first.stop()
    out["firstWatch"] = seen
    out["resumeFrom"] = last_rv

    # Resume from the last resourceVersion seen: only what happens after it.
    def delete_soon():
        time.sleep(0.5)
        api.delete_namespaced_custom_object(
            GROUP,
            VERSION,
            namespace,
            PLURAL,
            "py-phi",
            body=client.V1DeleteOptions(propagation_policy="Foreground"),
        )

    threading.Thread(target=delete_soon).start()
    resumed = watch.Watch()
    after = []
    for event in resumed.stream(
        api.list_namespaced_custom_object,
        GROUP,
        VERSION,
        namespace,
        PLURAL,
        resource_version=last_rv,
        timeout_seconds=30,
    ):
        meta = event["object"]["metadata"]
        after.append([event["type"], meta["name"], int(meta["resourceVersion"])])
        if event["type"] == "DELETED":
            resumed.stop()
    out["resumedWatch"] = after

    # Reading a gone object is a 404 ApiException with the API server's Status.
    try:
        api.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, "py-phi")
        out["getAfterDelete"] = "found"
    except ApiException as error:
        out["getAfterDelete"] = {"status": error.status, "body": json.loads(error.body)}

    # A typed API with a label selector: the workspace's pods went with it.
    pods = core.list_namespaced_pod(namespace, label_selector="kaito.sh/workspace=py-phi")
    out["podsLeft"] = [p.metadata.name for p in pods.items]

    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
