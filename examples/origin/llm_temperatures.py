"""
Temperature statistics module.

This module provides helper functions for parsing, validating and summarizing
temperature readings collected from weather stations.
"""

from dataclasses import dataclass
from typing import Dict, List, Optional


@dataclass
class Reading:
    """Represents a single temperature reading from a weather station."""

    station_id: str
    celsius: float


def parse_reading(line: str) -> Optional[Reading]:
    """
    Parse a single line of input into a Reading object.

    Args:
        line (str): A line in the format "station_id,celsius".

    Returns:
        Optional[Reading]: The parsed reading, or None if the line is invalid.
    """
    # Ignore empty lines and comments
    if not line or line.strip().startswith("#"):
        return None

    parts = line.strip().split(",")

    # Ensure the line has exactly two fields
    if len(parts) != 2:
        return None

    station_id, raw_value = parts

    try:
        celsius = float(raw_value)
    except ValueError:
        # The temperature value is not a valid number
        return None

    return Reading(station_id=station_id.strip(), celsius=celsius)


def celsius_to_fahrenheit(celsius: float) -> float:
    """
    Convert a temperature from Celsius to Fahrenheit.

    Args:
        celsius (float): The temperature in degrees Celsius.

    Returns:
        float: The temperature in degrees Fahrenheit.

    Raises:
        ValueError: If the temperature is below absolute zero.
    """
    if celsius < -273.15:
        raise ValueError("Temperature cannot be below absolute zero.")

    return celsius * 9.0 / 5.0 + 32.0


def summarize_by_station(readings: List[Reading]) -> Dict[str, Dict[str, float]]:
    """
    Compute the minimum, maximum and average temperature for each station.

    Args:
        readings (List[Reading]): A list of temperature readings.

    Returns:
        Dict[str, Dict[str, float]]: A dictionary mapping each station ID to its statistics.
    """
    if not readings:
        return {}

    grouped: Dict[str, List[float]] = {}

    # Group the readings by station
    for reading in readings:
        grouped.setdefault(reading.station_id, []).append(reading.celsius)

    summary: Dict[str, Dict[str, float]] = {}

    # Calculate the statistics for each station
    for station_id, values in grouped.items():
        summary[station_id] = {
            "min": min(values),
            "max": max(values),
            "average": sum(values) / len(values),
        }

    return summary


def main() -> None:
    """Demonstrate the temperature statistics functions with sample data."""
    sample_lines = [
        "north,12.5",
        "north,15.0",
        "south,21.3",
        "# This is a comment and will be ignored",
        "south,invalid",
        "east,18.7",
    ]

    # Parse the sample lines and discard any invalid entries
    readings: List[Reading] = []
    for line in sample_lines:
        reading = parse_reading(line)
        if reading is not None:
            readings.append(reading)

    # Summarize the readings for each station
    summary = summarize_by_station(readings)

    # Display the results
    for station_id, stats in summary.items():
        print(f"Station: {station_id}")
        print(f"  Minimum: {stats['min']:.1f} C")
        print(f"  Maximum: {stats['max']:.1f} C")
        print(f"  Average: {stats['average']:.1f} C")
        print(f"  Average (F): {celsius_to_fahrenheit(stats['average']):.1f} F")


if __name__ == "__main__":
    main()
