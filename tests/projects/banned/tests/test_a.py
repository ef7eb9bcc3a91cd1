import unittest.mock  # expect: IMC501
from unittest import mock  # expect: IMC501
from unittest.mock import patch  # expect: IMC501
import mock as m  # expect: IMC501
import mockery
from unittest import TestCase
