"""Utility functions for processing and validating user records."""

from typing import Dict, List, Optional


def calculate_average_score(scores: List[float]) -> float:
    """
    Calculate the average of a list of scores.

    Args:
        scores (List[float]): A list of numerical scores.

    Returns:
        float: The average score, or 0.0 if the list is empty.

    Raises:
        TypeError: If any element in the list is not a number.
    """
    if not scores:
        return 0.0

    for score in scores:
        if not isinstance(score, (int, float)):
            raise TypeError(f"Invalid score type: {type(score).__name__}")

    total = sum(scores)
    average = total / len(scores)
    return average


def find_user_by_email(users: List[Dict[str, str]], email: str) -> Optional[Dict[str, str]]:
    """
    Find a user in a list of users by their email address.

    Args:
        users (List[Dict[str, str]]): A list of user dictionaries.
        email (str): The email address to search for.

    Returns:
        Optional[Dict[str, str]]: The matching user dictionary, or None if not found.
    """
    normalized_email = email.strip().lower()

    for user in users:
        if user.get("email", "").strip().lower() == normalized_email:
            return user

    return None


def validate_password(password: str, min_length: int = 8) -> bool:
    """
    Validate that a password meets the basic security requirements.

    Args:
        password (str): The password to validate.
        min_length (int): The minimum required length. Defaults to 8.

    Returns:
        bool: True if the password is valid, False otherwise.
    """
    if len(password) < min_length:
        return False

    has_upper = any(char.isupper() for char in password)
    has_lower = any(char.islower() for char in password)
    has_digit = any(char.isdigit() for char in password)

    return has_upper and has_lower and has_digit
