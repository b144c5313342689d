"""The portal's own deployment checks (`manage.py check --deploy`, run by `make checks`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def bench_bare_view_is_off(app_configs, **kwargs) -> list[Warning]:
    """The load benchmark's bare view (BENCH_BARE_VIEW) answers without a login: never in a deployment."""
    if not getattr(settings, "BENCH_BARE_VIEW", False):
        return []
    return [
        Warning(
            "BENCH_BARE_VIEW is on: the load benchmark's bare view answers at /bench/bare/ without a login.",
            hint="Unset BENCH_BARE_VIEW; it is for bench/load_benchmark.py only.",
            id="hazards.W001",
        )
    ]
