from django.apps import AppConfig


class GoalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "goals"
    verbose_name = "Goals and reviews"

    def ready(self):
        from caseload import kept, persondata

        from . import persondata as goals_data
        from . import selectors
        from .models import Goal, Rating, Review, SessionGoal, Step

        kept.register_part("goals", "goals/_goal_list.html", selectors.goals_page, by_date=True)
        persondata.register(
            "goals",
            models=[Goal, Step, Review, Rating, SessionGoal],
            export=goals_data.export_person,
            erase=goals_data.erase_person,
            erase_many=goals_data.erase_people,
            label="Goals and reviews",
        )
