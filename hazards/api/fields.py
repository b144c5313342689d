"""Fields shared by the API's serializers."""

from rest_framework import serializers


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """The id of a row the requesting user may see (`visible_to`); any other id is "does not exist"."""

    def __init__(self, model, **kwargs) -> None:
        self.model = model
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(request.user) if request else self.model.objects.none()
