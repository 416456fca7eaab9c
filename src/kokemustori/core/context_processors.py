from .roles import expert_of, is_coordinator, orderer_of


def roles(request):
    user = request.user
    return {
        "my_expert": expert_of(user),
        "my_orderer": orderer_of(user),
        "i_coordinate": is_coordinator(user),
    }
