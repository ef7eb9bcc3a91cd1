from unittest import mock
