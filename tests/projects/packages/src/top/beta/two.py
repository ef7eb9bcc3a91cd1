from top.alpha.one import *
