from django import template

register = template.Library()


@register.filter
def in_groups_of_four(text: str) -> str:
    """A long key is easier to type into an app in groups: ABCD EFGH ..."""
    text = str(text)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
