import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    for service in Service.objects.only("pk").iterator():
        Service.objects.filter(pk=service.pk).update(site_uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("services", "0003_guichet_tsquery")]

    operations = [
        migrations.AddField(
            model_name="service",
            name="site_uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="service",
            name="site_uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                unique=True,
                verbose_name="identifier at its location",
            ),
        ),
    ]
