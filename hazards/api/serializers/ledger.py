"""The ledger's export: its format, the answer when it runs in the background, and its progress."""

from rest_framework import serializers

FORMATS = ["csv", "xlsx"]


class ExportFormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=FORMATS,
        default="csv",
        help_text="The file: csv (UTF-8 with a byte-order mark) or xlsx.",
    )


class ExportStartedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(help_text="The background export's id.")
    total = serializers.IntegerField(help_text="The hazards to export.")
    status_url = serializers.URLField(help_text="Its progress: GET it until its state is done (or failed).")


class ExportProgressSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    state = serializers.ChoiceField(choices=["queued", "progress", "done", "failed"])
    done = serializers.IntegerField(help_text="Hazards written so far.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    message = serializers.CharField(help_text="The progress in words, in the language of the request.")
    download_url = serializers.URLField(allow_null=True, help_text="The file, once the state is done.")
